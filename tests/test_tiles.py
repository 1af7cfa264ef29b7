"""The tiles' colours: every shade of the overdue tiles can be told apart."""

from __future__ import annotations

from dunning.ui.tiles import COLOURS


def test_overdue_shades_are_six_different_colours() -> None:
    shades = [shade for colour in ("amber", "red") for shade in COLOURS[colour]]
    assert len({edge for edge, _ in shades}) == 6 and len({fill for _, fill in shades}) == 6
