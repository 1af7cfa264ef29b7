"""The Templates page: a level's texts per language edited beside a preview of a real draft, checked before
they are saved, kept in versions, and restored from an older version as a new one."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dunning.db import Database
from dunning.documents import texts
from dunning.reminders.proposal import ProposalOptions, propose
from dunning.ui.markdown import literal
from tests.browser import ARGS, CHROMIUM, SHOTS, app_server, require_chromium, settle
from tests.conftest import AS_OF, ROOT

PAGE = str(ROOT / "pages" / "templates.py")
HOSTILE = "<b>{{ 7*7 }}</b>"


@pytest.fixture
def drafts(app_db: Path) -> Path:
    """The sample with its open drafts proposed (German, French, Dutch and English customers, levels 1-3)."""
    with Database(app_db) as db:
        propose(db, ProposalOptions(as_of=AS_OF))
    return app_db


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def start(level: int = 1, language: str = "de") -> AppTest:
    at = ok(AppTest.from_file(PAGE, default_timeout=60).run())
    at.selectbox(key="tpl_level").set_value(level)
    at.selectbox(key="tpl_language").set_value(language)
    return ok(at.run())


def saved(path: Path, level: int = 1, language: str = "de") -> list[texts.LevelText]:
    with Database(path) as db:
        return texts.versions(db, "DEFAULT", level, language)


def draft_customer(path: Path, reminder_id: int) -> tuple[str, str]:
    with Database(path) as db:
        row = db.one(
            "select c.customer_no, c.name from reminder_headers h join customers c using (customer_no)"
            " where h.reminder_id = $id",
            {"id": reminder_id},
        )
    assert row is not None
    return str(row[0]), str(row[1])


def preview_html(at: AppTest) -> str:
    (html,) = at.get("html")
    return str(html.proto.body)


def test_the_editor_shows_the_shipped_text_of_the_level_in_the_language(drafts: Path) -> None:
    at = start(1, "de")
    shipped = texts.shipped("friendly", "de")
    assert at.text_input(key="tpl_subject").value == shipped["subject"]
    assert at.text_area(key="tpl_opening").value == shipped["opening"]
    assert at.text_area(key="tpl_closing").value == shipped["closing"]
    assert "Level 1 · friendly" in at.selectbox(key="tpl_level").options
    assert any(c.value == "In force: the shipped text" for c in at.caption)
    ok(at.button(key="tpl_save").click().run())  # nothing edited yet
    assert at.info[0].value == "Nothing to save: the editor holds the shipped text, the text in force."
    assert saved(drafts) == []
    at.selectbox(key="tpl_language").set_value("fr")
    ok(at.run())  # another language fills the editor with its own text
    assert at.text_input(key="tpl_subject").value == texts.shipped("friendly", "fr")["subject"]
    assert not at.error


def test_an_edited_opening_is_saved_as_version_1(drafts: Path) -> None:
    at = start(1, "de")
    at.text_area(key="tpl_opening").set_value("Guten Tag {{ customer_name }},\n\nbitte zahlen Sie.")
    ok(at.run())
    ok(at.button(key="tpl_save").click().run())
    assert at.success[0].value == "Saved as version 1."
    (version,) = saved(drafts)
    assert (version.version, version.opening) == (1, "Guten Tag {{ customer_name }},\n\nbitte zahlen Sie.")
    assert version.subject == texts.shipped("friendly", "de")["subject"]
    assert any(c.value == "In force: version 1" for c in at.caption)
    assert list(at.dataframe[0].value["version"]) == [1]
    ok(at.button(key="tpl_save").click().run())  # the editor now holds the text in force
    assert at.info[0].value == "Nothing to save: the editor holds version 1, the text in force."
    assert len(saved(drafts)) == 1


def test_an_unknown_variable_is_named_with_its_part_and_line_and_nothing_is_saved(drafts: Path) -> None:
    at = start(1, "de")
    at.text_area(key="tpl_opening").set_value("Guten Tag,\n\n{{ custmer_name }} schuldet uns Geld.")
    ok(at.run())
    (error,) = at.error
    assert error.value == f"Opening, line 3: {literal(repr('custmer_name'))} is undefined"
    assert at.button(key="tpl_save").disabled
    assert any("returns when the text has no problems" in i.value for i in at.info)
    # typed and clicked at once (the button was enabled when drawn): the core refuses, nothing is saved
    at = start(1, "de")
    at.text_area(key="tpl_closing").set_value("Zahlen Sie {{ totl }}.")
    ok(at.button(key="tpl_save").click().run())
    assert any("not saved: closing, line 1: 'totl' is undefined" in e.value for e in at.error)
    assert saved(drafts) == []


def test_the_preview_shows_the_draft_customer_and_the_edited_text(drafts: Path) -> None:
    at = start(1, "de")
    box = at.selectbox(key="tpl_draft")
    with Database(drafts) as db:  # the sample's German drafts of the default terms at level 1
        german = db.scalar(
            "select count(*) from reminder_headers where status = 'draft' and terms_code = 'DEFAULT'"
            " and level_no = 1 and language = 'de'"
        )
    assert len(box.options) == german >= 1
    customer_no, name = draft_customer(drafts, box.value)
    assert box.options[0].endswith(f"· {name} ({customer_no})")
    at.text_input(key="tpl_subject").set_value("Offen bei {{ customer_name }}: {{ total }}")
    at.text_area(key="tpl_opening").set_value("Wir bitten {{ customer_name }} um Zahlung.")
    ok(at.run())
    html = preview_html(at)
    assert f"Wir bitten {name} um Zahlung." in html
    assert "Sicher handelt es sich um ein" not in html  # the shipped opening is replaced
    assert any(m.value.startswith(f"**Subject:** Offen bei {literal(name)}") for m in at.markdown)
    assert at.get("download_button")[0].label == "Letter (PDF)"
    assert saved(drafts) == []  # previewing saves nothing


def test_a_hostile_customer_name_stays_literal_in_the_preview(drafts: Path) -> None:
    at = start(1, "de")
    customer_no, _ = draft_customer(drafts, at.selectbox(key="tpl_draft").value)
    with Database(drafts) as db:
        db.execute("update customers set name = $n where customer_no = $c", {"n": HOSTILE, "c": customer_no})
    at.text_area(key="tpl_opening").set_value("Guten Tag {{ customer_name }},\n\nbitte zahlen Sie.")
    ok(at.run())
    html = preview_html(at)
    assert "Guten Tag &lt;b&gt;{{ 7*7 }}&lt;/b&gt;," in html
    assert "<b>{{" not in html and "49" not in html
    assert any(m.value.startswith("**Subject:**") for m in at.markdown)


def test_a_level_without_a_draft_in_the_language_previews_example_values(drafts: Path) -> None:
    at = start(1, "nl")  # the sample's Dutch customers have no draft at level 1
    assert "tpl_draft" not in [box.key for box in at.selectbox]
    assert any(c.value.startswith("No open draft at level 1 is in Dutch") for c in at.caption)
    shipped = texts.LevelText("DEFAULT", 1, "nl", 0, **texts.shipped("friendly", "nl"))
    example = texts.render(shipped, texts.example_variables(True))
    assert f"**Subject:** {literal(example.subject)}" in [m.value for m in at.markdown]
    assert literal(example.opening[-1]) in [m.value for m in at.markdown]
    assert not at.get("download_button")  # no letter without a draft


def test_restoring_version_1_after_version_2_saves_version_3_equal_to_1(drafts: Path) -> None:
    at = start(2, "en")
    at.text_input(key="tpl_subject").set_value("First {{ reminder_no }}")
    ok(at.button(key="tpl_save").click().run())
    at.text_input(key="tpl_subject").set_value("Second {{ reminder_no }}")
    ok(at.button(key="tpl_save").click().run())
    assert at.success[0].value == "Saved as version 2."
    assert at.selectbox(key="tpl_version_pick").options == ["Version 2", "Version 1", "Shipped text (firm)"]
    at.selectbox(key="tpl_version_pick").set_value(1)
    ok(at.button(key="tpl_load").click().run())
    assert at.text_input(key="tpl_subject").value == "First {{ reminder_no }}"
    assert "Loaded version 1 into the editor" in at.info[0].value
    assert len(saved(drafts, 2, "en")) == 2  # loading alone saves nothing
    ok(at.button(key="tpl_save").click().run())
    assert at.success[0].value == "Saved as version 3."
    v3, v2, v1 = saved(drafts, 2, "en")
    assert (v3.version, v3.sources) == (3, v1.sources)
    assert v2.subject == "Second {{ reminder_no }}"
    at.selectbox(key="tpl_version_pick").set_value(0)  # the shipped text, version 0
    ok(at.button(key="tpl_load").click().run())
    assert at.text_input(key="tpl_subject").value == texts.shipped("firm", "en")["subject"]


@pytest.mark.browser
def test_the_page_in_chromium_previews_the_draft_and_downloads_its_letter(
    sample_file: Path, tmp_path: Path
) -> None:
    require_chromium()
    from playwright.sync_api import sync_playwright

    db_path = tmp_path / "browser.duckdb"
    shutil.copy(sample_file, db_path)
    with Database(db_path) as db:
        # every customer on the default terms (the sample puts some on AUTO), so English drafts at level 1 exist
        db.execute("update customers set reminder_terms_code = null")
        propose(db, ProposalOptions(as_of=AS_OF))
        assert db.scalar(
            "select count(*) from reminder_headers where level_no = 1 and language = 'en' and status = 'draft'"
        )
    SHOTS.mkdir(parents=True, exist_ok=True)
    with app_server(db_path, tmp_path / "streamlit.log") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
            page.goto(f"{url}/templates")
            page.wait_for_selector(".st-key-tpl_letter_pdf", timeout=60_000)
            settle(page)
            opening = page.locator(".st-key-tpl_opening textarea")
            opening.fill("Please transfer {{ total }} by {{ deadline }}.")
            page.locator("h1").first.click()  # leaving the editor commits it
            settle(page)
            preview = page.locator(".st-key-tpl_preview_box")
            preview.get_by_text("Please transfer ").wait_for(timeout=30_000)
            page.screenshot(path=str(SHOTS / "templates.png"), full_page=True)
            with page.expect_download() as download:
                page.get_by_role("button", name="Letter (PDF)").click()
            letter = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert "Please transfer " in " ".join(p.extract_text() for p in letter.pages)
        finally:
            browser.close()
