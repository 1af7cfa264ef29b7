"""The document templates, yours to adapt: Jinja2 (sandboxed) with their stylesheets and images under assets/.

This folder stays at the top of the repository and is installed as the package `dunning.templates`, so the
code finds it the same way in a checkout and in an installed wheel. Every file in it ships with the package.
"""
