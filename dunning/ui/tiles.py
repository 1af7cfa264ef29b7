"""The overview's aging tiles: one coloured card per bucket, whose button opens the bucket's list below.

The button sets st.session_state["ov_bucket"] to the bucket's position (and drops a customer focus); the
overview page reads it to draw the list.
"""

from __future__ import annotations

import streamlit as st

from dunning.aging.overview import tile_shades
from dunning.aging.report import AgingReport
from dunning.ui.markdown import literal

# Each tile is a metric (label and amount): the KPIs above have already loaded its code, where an HTML
# card would make the browser load an HTML-markdown parser before it can draw the first tile.
TILE_CSS = """<style>
div[class*="st-key-card_"] { border-left-width: 6px !important; border-radius: 0.5rem; }
div[class*="st-key-card_"] [data-testid="stMetricLabel"] p { font-weight: 600; font-size: 0.95rem;
  color: inherit; }
div[class*="st-key-card_"] div[data-testid="stMetricValue"] { font-size: 1.1rem; font-weight: 650;
  white-space: nowrap; overflow: visible; }
div[class*="st-key-card_"] div[data-testid="stMetricValue"] * { overflow: visible; text-overflow: clip; }
div[class*="st-key-card_"] [data-testid="stMetric"] { gap: 0; }
div[class*="st-key-tile_"] button { padding: 0.2rem 0.4rem; min-height: 2rem; }
div[class*="st-key-tile_"] button p { white-space: nowrap; font-size: 0.85rem; }
div[data-testid="stMetricValue"] { font-size: 1.75rem; font-variant-numeric: tabular-nums; }
</style>"""
COLOURS = {  # tile_shades -> (edge, fill) per shade, light to dark: steps that can be told apart
    "green": (("#2E7D32", "#F1F8F2"),) * 3,
    "amber": (("#E0B000", "#FFFAE6"), ("#D08000", "#FFF1D9"), ("#A65A00", "#FCE4C8")),
    "red": (("#E8705F", "#FDF1EF"), ("#C0392B", "#FBE0DC"), ("#7F1D14", "#F4CDC8")),
}


def _open_bucket(position: int) -> None:
    st.session_state["ov_bucket"] = position
    st.session_state["ov_focus"] = None


def aging_tiles(report: AgingReport) -> None:
    """One coloured card per bucket; its button opens the bucket's list below."""
    css = [TILE_CSS, "<style>"]
    longest = max((len(f"{b.amount_lcy:,.2f}") for b in report.buckets), default=0)
    if longest > 12:  # billions do not fit seven tiles on a laptop at the normal size
        css.append(
            f"div[class*='st-key-card_'] div[data-testid='stMetricValue'] {{ font-size: "
            f"{'0.95rem' if longest <= 14 else '0.8rem'}; }}"
        )
    selected, shades = st.session_state.get("ov_bucket"), tile_shades(report.buckets)
    for b in report.buckets:
        colour, shade = shades[b.position]
        edge, fill = COLOURS[colour][shade]
        ring = f"box-shadow: 0 0 0 2px {edge};" if selected == b.position else ""
        css.append(
            f".st-key-card_{b.position} {{ border-left-color: {edge} !important; background: {fill}; {ring} }}"
        )
    st.html("".join(css) + "</style>")
    st.caption(f"Open invoices as of {report.as_of:%d %b %Y} by days past due · amounts in {report.lcy}")
    for col, b in zip(st.columns(len(report.buckets)), report.buckets, strict=True):
        with col.container(border=True, key=f"card_{b.position}", gap="small"):
            st.metric(literal(b.label), f"{b.amount_lcy:,.2f}")
            st.button(f"{b.count:,} invoice{'s' * (b.count != 1)}", key=f"tile_{b.position}", on_click=_open_bucket,
                      args=(b.position,), width="stretch", help=f"List the invoices {b.describe()}")  # fmt: skip
