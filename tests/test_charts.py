from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from dunning.ui import charts

D = Decimal
LABELS = ["Within terms", "1-7", "8-14"]


def dist() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "position": [0, 0, 2, 1],
            "label": ["Within terms", "Within terms", "8-14", "1-7"],
            "currency": ["EUR", "GBP", "EUR", "GBP"],
            "invoices": [5, 2, 1, 3],
            "amount": [D("500.00"), D("20.00"), D("7.50"), D("30.00")],
            "amount_lcy": [D("500.00"), D("23.00"), D("7.50"), D("34.50")],
        }
    )


def test_distribution_has_amount_and_count_traces_per_currency() -> None:
    fig = charts.distribution_figure(dist(), LABELS, "EUR")
    assert [(t.name, t.xaxis) for t in fig.data] == [("EUR", "x"), ("EUR", "x2"), ("GBP", "x"), ("GBP", "x2")]
    eur_amount, eur_count, gbp_amount, gbp_count = fig.data
    assert list(eur_amount.x) == ["Within terms", "8-14"] and list(eur_amount.y) == [D("500.00"), D("7.50")]
    assert list(eur_count.y) == [5, 1]
    assert list(gbp_amount.x) == ["Within terms", "1-7"] and list(gbp_amount.y) == [D("23.00"), D("34.50")]
    assert list(gbp_count.y) == [2, 3]
    assert [t.showlegend for t in fig.data] == [None, False, None, False]  # one legend entry per currency
    assert fig.layout.barmode == "stack"
    assert list(fig.layout.xaxis.categoryarray) == LABELS  # buckets in their configured order
    assert fig.layout.annotations[0].text == "Amount (EUR)"


def test_distribution_of_nothing_is_an_empty_figure() -> None:
    assert len(charts.distribution_figure(dist().iloc[0:0], LABELS, "EUR").data) == 0


def test_top_customers_bars_carry_the_customer_number() -> None:
    top = pd.DataFrame(
        {
            "customer_no": ["C2", "C1"],
            "name": ["Beta", "Alpha"],
            "invoices": [4, 1],
            "overdue_lcy": [D("1234.50"), D("10.00")],
            "oldest_days_overdue": [40, 9],
        }
    )
    fig = charts.top_customers_figure(top, "EUR")
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == ["Beta (C2)", "Alpha (C1)"]
    assert list(bar.x) == [D("1234.50"), D("10.00")]
    assert [row[0] for row in bar.customdata] == ["C2", "C1"]
    assert list(bar.text) == ["1,234.50", "10.00"]
    assert fig.layout.yaxis.autorange == "reversed"  # largest on top


def test_trend_is_one_line_of_month_ends() -> None:
    trend = pd.DataFrame(
        {
            "month_end": [dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 28)],
            "invoices": [3, 5, 2],
            "overdue_lcy": [D("10.00"), D("25.00"), D("5.00")],
        }
    )
    fig = charts.trend_figure(trend, "EUR")
    (line,) = fig.data
    assert list(line.x) == list(trend["month_end"])
    assert list(line.y) == [D("10.00"), D("25.00"), D("5.00")]
    assert list(line.customdata) == [3, 5, 2]
    assert "EUR" in fig.layout.yaxis.title.text


def test_figures_serialise_for_the_browser() -> None:
    fig = charts.distribution_figure(dist(), LABELS, "EUR")
    assert '"y":[500.0,7.5]' in fig.to_json().replace(" ", "")


def test_point_customer_reads_the_clicked_bar() -> None:
    assert charts.point_customer({"selection": {"points": [{"customdata": ["C7", 3, 40]}]}}) == "C7"
    assert charts.point_customer({"selection": {"points": []}}) is None
    assert charts.point_customer(None) is None


def colours(fig) -> dict[str, str]:
    return {t.name: t.marker.color for t in fig.data}


def test_a_currency_keeps_its_colour_when_the_filter_drops_others() -> None:
    both = colours(charts.distribution_figure(dist(), LABELS, "EUR"))
    gbp_only = colours(charts.distribution_figure(dist()[dist()["currency"] == "GBP"], LABELS, "EUR"))
    assert gbp_only == {"GBP": both["GBP"]} and both["GBP"] != both["EUR"]


def test_every_currency_has_one_colour_of_the_palette() -> None:
    assert charts.currency_colour("XAF") == charts.currency_colour("XAF") in charts.PALETTE
    common = [charts.currency_colour(c) for c in ("EUR", "CHF", "GBP", "USD")]
    assert len(set(common)) == 4  # the sample's currencies are told apart
