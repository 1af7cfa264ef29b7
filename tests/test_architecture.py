"""The shape of the code: the layers of dunning/ (import-linter), only dunning/ui/ and the pages import
streamlit, and one module owns each outside library, in the core, the pages, app.py and the benchmarks."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "dunning"
FACES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "benchmarks").glob("*.py"))]

# library -> the modules of dunning/ allowed to import it
OWNERS = {
    # the faces: the app and its pages, and the benchmarks that measure them
    "streamlit": {"dunning/ui/", "app.py", "pages/", "benchmarks/"},
    "duckdb": {"dunning/db/database.py"},
    "jinja2": {"dunning/documents/templating.py"},
    "weasyprint": {"dunning/documents/pdf.py"},
    "plotly": {"dunning/ui/charts.py"},
    "babel": {"dunning/documents/formatting.py", "dunning/documents/translations.py"},
    "smtplib": {"dunning/mail/"},
    "openpyxl": {"dunning/ledger/imports/readers.py", "dunning/documents/export.py"},
    "pyarrow": {"dunning/ledger/imports/readers.py"},
    # others call payment.iban_problem() rather than importing stdnum
    "stdnum": {"dunning/documents/payment.py"},
    "segno": {"dunning/documents/payment.py"},
    "qrbill": {"dunning/documents/payment.py"},
    # business days of scheduled runs; others ask dunning.jobs.business_days
    "holidays": {"dunning/jobs/business_days.py"},
    # others call people.email_problem() to check a contact's address
    "email_validator": {"dunning/ledger/people.py"},
    # the local SMTP server the mail tests and the sending benchmark deliver to
    "aiosmtpd": {"benchmarks/bench_send.py", "tests/"},
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


@pytest.mark.parametrize("path", CORE_FILES + FACES, ids=lambda p: str(p.relative_to(ROOT)))
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
    assert {"db/database.py", "aging/report.py", "cli/__init__.py", "sample/ledger.py"} <= names


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


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [name.strip(" ()") for layer in contract["layers"] for name in layer.split("|")]


def test_the_layers_contract_is_kept():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "1 kept, 0 broken" in done.stdout


def test_every_package_and_top_module_of_dunning_has_a_layer():
    named = set(_contract_layers())
    found = {f"dunning.{p.parent.name}" for p in CORE.glob("*/__init__.py")} | {
        f"dunning.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__"
    }
    assert found <= named, f"not in [tool.importlinter] layers of pyproject.toml: {sorted(found - named)}"


@pytest.mark.parametrize("path", sorted(CORE.glob("*/__init__.py")), ids=lambda p: p.parent.name)
def test_every_package_says_what_it_owns_and_may_import(path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert len(doc) > 80 and "import" in doc, (
        f"{path.relative_to(ROOT)} needs a docstring: what it owns, what it may import"
    )


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_core_grows_past_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path.relative_to(ROOT)} has {lines} lines; split it by what it holds"
