"""The app's shared Streamlit parts: the only package of dunning/ that imports streamlit, and the only user
of st.cache_*. Pages in pages/ hold their own layout and call these for what several pages share: the
database session (session.py), cached loaders, forms that save in a callback and show the outcome, display
frames and column configs, plotly charts (charts.py, the only plotly user), the overview's tiles.

It is the top layer with dunning.cli: it may import every package of dunning/, and nothing imports it.
"""
