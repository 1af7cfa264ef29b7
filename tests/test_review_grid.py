"""The review grid's columns: what decides a draft, its deadline and its note fit 1440 px."""

from __future__ import annotations

from dunning.ui import review_grid
from tests.test_frames import MAIN_WIDTH_1440


def test_pay_by_and_note_are_visible_at_1440_px() -> None:
    cols = {k: v for k, v in review_grid.columns([1, 2, 3]).items() if v is not None}  # None: hidden
    order = list(cols)
    shown = order[: order.index("note") + 1]
    assert {"included", "customer_no", "level", "total", "payment_deadline", "to"} <= set(shown)
    widths = [cols[k]["width"] for k in shown]
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) <= MAIN_WIDTH_1440  # beside the row marker
    assert cols["included"]["type_config"]["type"] == "checkbox"
