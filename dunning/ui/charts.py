"""The overview's figures, and which bar a click selected. The only module that imports plotly.

Amounts go into the figures as Decimal: plotly takes them as they are and turns them into JSON numbers only
when the figure is serialised for the browser, which is the last moment and outside our code. No float money
here.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dunning.aging.overview import Overview

# Colour-blind-safe palette (Okabe-Ito). A currency keeps its colour whatever the filter shows: the common
# ones have their own, any other takes one by a checksum of its code (the same in every process).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
CURRENCY_COLOURS = {"EUR": PALETTE[0], "CHF": PALETTE[1], "GBP": PALETTE[2], "USD": PALETTE[3],
                    "SEK": PALETTE[4], "DKK": PALETTE[5], "NOK": PALETTE[6], "PLN": PALETTE[7]}  # fmt: skip


def currency_colour(code: str) -> str:
    """The colour of a currency in every chart, whichever currencies are shown beside it."""
    return CURRENCY_COLOURS.get(code) or PALETTE[zlib.crc32(code.encode()) % len(PALETTE)]


MONEY_HOVER = "%{x:,.2f}"
HEIGHT = 340


def _layout(fig: go.Figure, top: int = 40, **extra: object) -> go.Figure:
    fig.update_layout(
        height=HEIGHT, margin={"l": 10, "r": 10, "t": top, "b": 10}, separators=".,",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.12, "x": 0}, **extra,
    )  # fmt: skip
    return fig


def distribution_figure(dist: pd.DataFrame, bucket_labels: Sequence[str], lcy: str) -> go.Figure:
    """Amount (LCY) and number of open invoices per bucket, stacked by currency: two panels, one legend.

    dist: overview.distribution's frame (label, currency, invoices, amount, amount_lcy).
    """
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=(f"Amount ({lcy})", "Open invoices"), horizontal_spacing=0.08
    )
    labels = list(bucket_labels)
    for currency in sorted(dist["currency"].unique()) if len(dist) else []:
        part = dist[dist["currency"] == currency].set_index("label")
        part = part.reindex([label for label in labels if label in part.index])
        colour = currency_colour(currency)
        fig.add_trace(
            go.Bar(
                name=currency, legendgroup=currency, x=list(part.index), y=list(part["amount_lcy"]),
                marker_color=colour, customdata=list(zip(part["amount"], part["invoices"], strict=True)),
                hovertemplate=(
                    f"%{{x}} · {currency}<br>%{{y:,.2f}} {lcy}<br>"
                    f"%{{customdata[0]:,.2f}} {currency} in %{{customdata[1]:,}} invoices<extra></extra>"
                ),
            ),
            row=1, col=1,
        )  # fmt: skip
        fig.add_trace(
            go.Bar(
                name=currency, legendgroup=currency, showlegend=False, x=list(part.index),
                y=[int(n) for n in part["invoices"]], marker_color=colour,
                hovertemplate=f"%{{x}} · {currency}<br>%{{y:,}} invoices<extra></extra>",
            ),
            row=1, col=2,
        )  # fmt: skip
    fig.update_xaxes(categoryorder="array", categoryarray=labels, tickangle=-35)
    fig.update_yaxes(tickformat=",.0f", row=1, col=1)
    fig.update_yaxes(tickformat=",d", row=1, col=2)
    return _layout(fig, top=75, barmode="stack")


def top_customers_figure(top: pd.DataFrame, lcy: str) -> go.Figure:
    """Horizontal bars of overdue amount per customer, largest on top; customdata carries customer_no.

    top: overview.top_customers's frame (customer_no, name, invoices, overdue_lcy, oldest_days_overdue).
    """
    labels = [f"{name} ({no})" for no, name in zip(top["customer_no"], top["name"], strict=True)]
    fig = go.Figure(
        go.Bar(
            orientation="h", x=list(top["overdue_lcy"]), y=labels, marker_color="#C0392B",
            customdata=[[no, int(n), int(d)] for no, n, d in
                        zip(top["customer_no"], top["invoices"], top["oldest_days_overdue"], strict=True)],
            text=[f"{a:,.2f}" for a in top["overdue_lcy"]], textposition="auto",
            hovertemplate=(
                f"%{{y}}<br>{MONEY_HOVER} {lcy} overdue<br>%{{customdata[1]}} invoices, "
                "oldest %{customdata[2]} days<extra></extra>"
            ),
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickformat=",.0f", title_text=f"Overdue ({lcy})")
    return _layout(fig, clickmode="event+select", dragmode=False)


def point_customer(selection: Any) -> str | None:
    """The customer_no of the bar clicked in top_customers_figure (its customdata), or None.

    selection: the chart's st.plotly_chart selection event as kept in st.session_state.
    """
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and data:
            return str(data[0])
        if isinstance(data, str):
            return data
    return None


def trend_figure(trend: pd.DataFrame, lcy: str) -> go.Figure:
    """Overdue amount (LCY) at each month end, as a line with markers.

    trend: overview.overdue_trend's frame (month_end, invoices, overdue_lcy).
    """
    fig = go.Figure(
        go.Scatter(
            x=list(trend["month_end"]), y=list(trend["overdue_lcy"]), mode="lines+markers", cliponaxis=False,
            line={"color": "#C0392B", "width": 2}, fill="tozeroy", fillcolor="rgba(192,57,43,0.08)",
            customdata=[int(n) for n in trend["invoices"]],
            hovertemplate=f"%{{x|%d %b %Y}}<br>%{{y:,.2f}} {lcy} overdue<br>%{{customdata}} invoices<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero", title_text=f"Overdue ({lcy})")
    fig.update_xaxes(tickformat="%b %Y", dtick="M1")
    return _layout(fig)


@dataclass(frozen=True)
class OverviewFigures:
    distribution: go.Figure
    top_customers: go.Figure
    trend: go.Figure


def overview_figures(data: Overview) -> OverviewFigures:
    """The overview's charts: aging by currency, top customers, overdue amount at month end."""
    lcy = data.report.lcy
    labels = [b.label for b in data.report.buckets]
    return OverviewFigures(
        distribution_figure(data.distribution, labels, lcy),
        top_customers_figure(data.top_customers, lcy),
        trend_figure(data.trend, lcy),
    )
