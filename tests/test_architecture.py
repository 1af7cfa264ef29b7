"""The shape of the code: the core never imports streamlit, and one module owns each outside library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "dunning"

# library -> the modules of dunning/ allowed to import it
OWNERS = {
    "streamlit": {"dunning/ui/"},
    "duckdb": {"dunning/db/database.py"},
    "jinja2": {"dunning/documents/templating.py"},
    "weasyprint": {"dunning/documents/pdf.py"},
    "plotly": {"dunning/ui/charts.py"},
    "babel": {"dunning/documents/formatting.py"},
    "smtplib": {"dunning/mail/"},
    "openpyxl": {"dunning/ledger/imports/readers.py", "dunning/documents/export.py"},
    "pyarrow": {"dunning/ledger/imports/readers.py"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


CORE_FILES = sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_outside_libraries_are_imported_only_by_their_owner(path):
    roots = imported_roots(path)
    for library, owners in OWNERS.items():
        if library in roots:
            where = path.relative_to(ROOT).as_posix()
            assert any(where.startswith(o) for o in owners), (
                f"{where} imports {library}; only {sorted(owners)} may"
            )


def test_the_core_has_modules_to_check():
    names = {p.relative_to(CORE).as_posix() for p in CORE_FILES}
    assert {"db/database.py", "aging/report.py", "cli.py", "sample/ledger.py"} <= names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_money_through_float(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
            arg = ast.unparse(node.args[0]) if node.args else ""
            assert not any(w in arg.lower() for w in ("amount", "total", "fee", "interest", "balance")), (
                f"{path.name}:{node.lineno} converts money to float: float({arg})"
            )


def test_pages_are_thin():
    for page in (ROOT / "pages").glob("*.py"):
        lines = [ln for ln in page.read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert len(lines) <= 150, f"{page.name} has {len(lines)} lines; move logic into dunning/"
