"""Every page registered in app.py opens on the sample database without an exception.

The pages are read from app.py's st.Page(...) entries, so a page added there later is covered too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = ROOT / "app.py"


def registered_pages() -> list[str]:
    """'pages/x.py' for each st.Page(HERE / "pages" / "x.py", ...) (or st.Page("pages/x.py")) in app.py."""
    found = []
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page" and node.args:
            consts = [
                n for n in ast.walk(node.args[0]) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            consts.sort(key=lambda n: (n.lineno, n.col_offset))  # ast.walk is breadth first
            found.append("/".join(str(n.value) for n in consts))
    return found


PAGES = registered_pages()


def test_app_registers_the_overview_and_settings() -> None:
    assert "pages/overview.py" in PAGES
    assert "pages/aging_settings.py" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_opens(app_db: Path, page: str) -> None:
    assert (ROOT / page).is_file(), f"app.py registers {page}, which does not exist"
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    at.switch_page(page)
    at.run()
    assert not at.exception, f"{page}: {at.exception}"
