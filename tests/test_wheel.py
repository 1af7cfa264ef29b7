"""The package is complete when installed: the wheel holds every module, SQL file and template, and the
`dunning` command of a fresh virtual environment that has the wheel (and not the source tree) makes a statement.

The wheel is built offline from a copy of what the build reads (no build/ or egg-info left in the checkout).
The fresh environment gets the wheel with --no-deps and sees the already installed dependencies through a
.pth file that lists this interpreter's site-packages; a .pth line is only a path, so the checkout's editable
install there is not activated, and a test proves `dunning` is imported from the new environment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from dunning.db import Database
from tests.conftest import ROOT
from tests.test_pdf import pdf_text

AS_OF = dt.date(2026, 11, 28)
BUILD_INPUTS = ("pyproject.toml", "README.md", "dunning", "templates")  # what the build reads
SQL_FOLDERS = (
    "dunning/aging/sql",
    "dunning/ledger/sql",
    "dunning/ledger/imports/sql",
    "dunning/reminders/sql",
    "dunning/db/migrations",
)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "DUNNING_DB")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def shipped_files() -> set[str]:
    """Where every module, SQL file and template of the checkout belongs inside the wheel."""
    expected = set()
    for pattern in ("*.py", "*.sql"):
        for path in (ROOT / "dunning").rglob(pattern):
            if "__pycache__" not in path.parts:
                expected.add(path.relative_to(ROOT).as_posix())
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            expected.add("dunning/templates/" + path.relative_to(ROOT / "templates").as_posix())
    return expected


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    built = run(
        sys.executable, "-m", "pip", "wheel", src, "--no-deps", "--no-build-isolation", "--no-index",
        "-w", dist, cwd=src,
    )  # fmt: skip
    assert built.returncode == 0, (
        "building the wheel failed (the test extra brings setuptools: pip install -e '.[test]'):\n"
        + built.stdout
        + built.stderr
    )
    (found,) = dist.glob("dunning-*.whl")
    return found


def test_every_package_under_dunning_is_listed_in_pyproject():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "dunning").rglob("__init__.py")}
    found.add("dunning.templates")
    assert sorted(found - set(setuptools["packages"])) == [], "add these to [tool.setuptools] packages"
    assert sorted(set(setuptools["packages"]) - found) == [], "no such package; remove it from pyproject"
    assert setuptools["package-dir"] == {"dunning.templates": "templates"}


@pytest.mark.slow
def test_wheel_holds_every_module_sql_file_and_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(shipped_files() - names)
    assert missing == [], f"not in the wheel: {missing}"
    for folder in SQL_FOLDERS:
        in_tree = {p.name for p in (ROOT / folder).glob("*.sql")}
        in_wheel = {n.rsplit("/", 1)[1] for n in names if n.startswith(folder + "/") and n.endswith(".sql")}
        assert in_tree and in_wheel == in_tree, folder
    assert {
        "dunning/templates/statement.html",
        "dunning/templates/reminder_letter.html",
        "dunning/templates/assets/letter.css",
        "dunning/templates/texts/en.toml",
        "dunning/templates/locale/fr/LC_MESSAGES/documents.mo",
    } <= names
    stray = sorted(n for n in names if not n.startswith(("dunning/", "dunning-")) or "__pycache__" in n)
    assert stray == []


@pytest.mark.slow
def test_installed_wheel_makes_a_statement_and_renders_reminders_without_the_source_tree(wheel, tmp_path):
    venv = tmp_path / "venv"
    made = run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python, command = venv / "bin" / "python", venv / "bin" / "dunning"
    installed = run(python, "-m", "pip", "install", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run(python, "-c", purelib, cwd=tmp_path).stdout.strip())
    deps = dict.fromkeys(sysconfig.get_path(k) for k in ("purelib", "platlib"))  # of the running tests
    (site / "dunning_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")

    where = run(
        python, "-c",
        "import dunning; from dunning.documents.templating import templates_dir;"
        " print(dunning.__file__); print(templates_dir())",
        cwd=tmp_path,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    module, templates = (Path(line).resolve() for line in where.stdout.splitlines())
    assert module.is_relative_to(site.resolve()) and not module.is_relative_to(ROOT)
    assert templates == (site / "dunning" / "templates").resolve()

    db = tmp_path / "x.duckdb"
    sample = run(command, "sample", "--db", db, "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert sample.returncode == 0, sample.stderr
    with Database(db) as d:
        no, name = d.one(
            "select customer_no, any_value(c.name) from open_entries($d) join customers c using (customer_no)"
            " group by all order by count(*) desc, customer_no limit 1",
            {"d": AS_OF},
        )
        rows = d.rows(
            "select document_no from open_entries($d) where customer_no = $c", {"d": AS_OF, "c": no}
        )
    docs = [r[0] for r in rows]
    done = run(
        command, "statement", no, "--db", db, "--as-of", AS_OF.isoformat(), "-o", "out.pdf", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "out.pdf"
    text = pdf_text((tmp_path / "out.pdf").read_bytes(), tmp_path)
    assert name in text
    assert docs and [doc for doc in docs if doc not in text] == []

    # reminders: propose, then render each draft as its email with the letter (fonts, catalogs, QR code)
    proposed = run(command, "propose", "--db", db, "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert proposed.returncode == 0, proposed.stderr
    rendered = run(command, "render", "--db", db, "--out", "out", "--json", "--workers", "1", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    results = json.loads(rendered.stdout)
    assert results and {r["status"] for r in results} == {"written"}
    first = results[0]
    assert (tmp_path / "out" / f"{first['reminder_no']}.eml").is_file()
    letter = pdf_text((tmp_path / "out" / f"{first['reminder_no']}.pdf").read_bytes(), tmp_path)
    assert first["reminder_no"] in letter
