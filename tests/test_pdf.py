from __future__ import annotations

import base64
import datetime as dt
import io
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from dunning.documents.letter import compose
from dunning.documents.pdf import (
    STACK_ROOM,
    FetchRefused,
    PdfRenderer,
    TemplatesOnlyFetcher,
    html_to_pdf,
    straightforward_pdf,
    with_stack_room,
)
from dunning.documents.reminder import open_reminder_ids
from dunning.documents.statement import statement_html, statement_pdf
from dunning.documents.templating import shipped_templates_dir
from dunning.reminders.proposal import ProposalOptions, propose
from tests.pdfs import page_png, pages_of

AS_OF = dt.date(2026, 11, 28)
PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a0c1d6a70000000049454e44ae426082"
    )
).decode()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text via poppler's pdftotext; skips the calling test where the binary is missing."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils); cannot read the PDF's text")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    """The fonts of every page as {PDF font name without its subset tag: embedded font file}."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[name] = descriptor["/FontFile2"].get_object().get_data()
    return fonts


def test_html_becomes_a_pdf(folder):
    pdf = html_to_pdf("<p>Hello</p>", folder)
    assert pdf.startswith(b"%PDF")


def test_files_inside_the_templates_folder_are_used_and_files_outside_are_not(folder, tmp_path):
    html = (
        '<link rel="stylesheet" href="assets/ok.css">'
        f'<link rel="stylesheet" href="{(tmp_path / "evil.css").as_uri()}">'
        '<link rel="stylesheet" href="assets/../../evil.css">'
        '<img src="file:///etc/passwd"><p>Body</p>'
    )
    text = pdf_text(html_to_pdf(html, folder), tmp_path)
    assert "ALLOWED-INSIDE" in text
    assert "Body" in text
    assert "LEAKED-OUTSIDE" not in text


def test_http_resources_are_never_requested(folder, tmp_path, http_server):
    base, seen = http_server
    html = f'<link rel="stylesheet" href="{base}/style.css"><img src="{base}/logo.png"><p>Body</p>'
    text = pdf_text(html_to_pdf(html, folder), tmp_path)
    assert seen == []
    assert "FETCHED-OVER-HTTP" not in text
    # the server does answer: a fetch that was not refused would have been seen
    with urllib.request.urlopen(f"{base}/style.css", timeout=5) as response:
        assert b"FETCHED-OVER-HTTP" in response.read()
    assert seen == ["/style.css"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "relative/path.css",
    ],
)
def test_fetcher_refuses_everything_but_template_files_and_data(folder, url):
    fetcher = TemplatesOnlyFetcher(folder)
    with pytest.raises(FetchRefused, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_paths_climbing_out_and_missing_files(folder):
    fetcher = TemplatesOnlyFetcher(folder)
    with pytest.raises(FetchRefused, match="outside"):
        fetcher.fetch((folder / "assets" / ".." / ".." / "evil.css").as_uri())
    with pytest.raises(FetchRefused, match="outside"):
        fetcher.fetch(folder.as_uri() + "/../evil.css")
    with pytest.raises(FetchRefused, match="no such file"):
        fetcher.fetch(folder.as_uri() + "/assets/missing.css")


def test_fetcher_serves_template_files_and_data_urls(folder):
    fetcher = TemplatesOnlyFetcher(folder)
    css = fetcher.fetch((folder / "assets" / "ok.css").as_uri())
    assert b"ALLOWED-INSIDE" in css.read()
    assert css.content_type == "text/css"
    png = fetcher.fetch(f"data:image/png;base64,{PNG_1PX}")
    assert png.read().startswith(b"\x89PNG")
    assert fetcher.refused == []


def test_statement_of_a_sample_customer(sample_db, tmp_path):
    no = sample_db.scalar(
        "select customer_no from ledger_entries where closed_at is null and remaining_amount > 0"
        " group by all order by count(*) desc, customer_no limit 1"
    )
    docs = [r[0] for r in sample_db.rows(
        "select document_no from open_entries($d) where customer_no = $c", {"d": AS_OF, "c": no}
    )]  # fmt: skip
    pdf = statement_pdf(sample_db, no, AS_OF)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert no in text
    missing = [d for d in docs if d not in text]
    assert docs and not missing


def test_fetcher_refuses_a_symlink_out_of_the_folder(folder, tmp_path):
    (folder / "assets" / "link.css").symlink_to(tmp_path / "evil.css")
    with pytest.raises(FetchRefused, match="outside"):
        TemplatesOnlyFetcher(folder).fetch((folder / "assets" / "link.css").as_uri())


def test_statement_of_a_eur_customer_carries_the_company_and_its_eur_account(sample_db, tmp_path):
    no = sample_db.scalar(
        "select customer_no from open_entries($d) where currency = 'EUR' group by all order by 1 limit 1",
        {"d": AS_OF},
    )
    text = pdf_text(statement_pdf(sample_db, no, AS_OF), tmp_path)
    assert "Northwind Logistics B.V." in text and "Wilhelminakade 91" in text and "3072 AP Rotterdam" in text
    assert "NL91 ABNA 0417 1643 00" in text and "ABNANL2A" in text
    assert "GB29" not in text and "invoices" not in text  # only its currency's account, no fallback sentence


# --- the shipped fonts ----------------------------------------------------------------------------------

FONTS = shipped_templates_dir() / "assets" / "fonts"
# what documents print: currency signs, Western and Central European letters, the narrow no-break space
# (U+202F) Babel puts between thousands in French, the no-break space and the dashes
PRINTED = "€ £ ₣ é ü ß ç à ñ ø å ł ő ř ș 1\u202f234,56\u00a0€ – — ’ «»"


def test_fonts_ship_with_their_licence():
    files = sorted(p.name for p in FONTS.iterdir())
    assert "OFL.txt" in files
    assert "SIL Open Font License" in (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in (FONTS / "OFL-Arimo.txt").read_text(encoding="utf-8")
    assert [f for f in files if f.endswith(".woff")] == [
        "arimo-latin-400-normal.woff",  # the QR-bill slip's Liberation Sans (reminder.css)
        "arimo-latin-700-normal.woff",
        *(
            f"source-sans-3-{subset}-{face}.woff"
            for subset in ("latin", "latin-ext")
            for face in ("400-italic", "400-normal", "700-normal")
        ),
    ]


def test_shipped_files_hold_every_printed_character_but_the_unicode_spaces():
    covered: set[int] = set()
    for name in ("source-sans-3-latin-400-normal.woff", "source-sans-3-latin-ext-400-normal.woff"):
        covered |= set(TTFont(FONTS / name).getBestCmap())
    missing = {hex(ord(c)) for c in PRINTED if ord(c) not in covered and not c.isspace()}
    assert missing == set()
    # the narrow no-break space is not in the files: the text shaper draws it with the font's space
    assert 0x202F not in covered


def test_a_document_embeds_only_the_shipped_font_for_every_printed_character(tmp_path):
    html = (
        '<link rel="stylesheet" href="assets/letter.css">'
        f"<p>{PRINTED}</p><p><b>{PRINTED}</b></p><p><i>{PRINTED}</i></p>"
    )
    pdf = html_to_pdf(html)
    fonts = embedded_fonts(pdf)
    assert set(fonts) == {
        "Source-Sans-3,",  # the regular face, as WeasyPrint names it
        "Source-Sans-3-Bold",
        "Source-Sans-3-Italic",
        "Source-Sans-3-Ext",
        "Source-Sans-3-Ext-Bold",
        "Source-Sans-3-Ext-Italic",
    }
    # the embedded glyphs come from the shipped files: their names table says Source Sans 3
    for data in fonts.values():
        assert TTFont(io.BytesIO(data))["name"].getDebugName(1).startswith("Source Sans 3")
    text = pdf_text(pdf, tmp_path)
    for char in PRINTED.split():  # the spaces split too: 1, 234,56 and €
        assert char in text


def test_statement_in_french_uses_the_shipped_font(sample_db):
    no = sample_db.scalar("select customer_no from customers where language = 'fr' order by 1 limit 1")
    fonts = embedded_fonts(statement_pdf(sample_db, no, AS_OF))
    assert fonts and all(name.startswith("Source-Sans-3") for name in fonts), sorted(fonts)


# --- the shared renderer and batches --------------------------------------------------------------------


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_renderer_draws_the_same_pages_as_the_straightforward_way(sample_db):
    nos = [r[0] for r in sample_db.rows("select customer_no from customers order by 1 limit 3")]
    renderer = PdfRenderer()
    for no in nos:
        html = statement_html(sample_db, no, AS_OF)
        fast, plain = renderer.render(html), straightforward_pdf(html)
        assert page_texts(fast) == page_texts(plain)
        assert set(embedded_fonts(fast)) == set(embedded_fonts(plain))


def test_the_lean_user_agent_stylesheet_draws_every_page_pixel_for_pixel_as_weasyprints_own(
    sample_db, tmp_path
):
    # the renderer's ua.css leaves out WeasyPrint's rules for forms, dir=, hidden= and footnotes: a letter and
    # a statement must not change by a single pixel for it
    propose(sample_db, ProposalOptions(as_of=AS_OF))
    letter = compose(sample_db, open_reminder_ids(sample_db)[0]).letter_html
    customer = sample_db.scalar("select customer_no from customers order by 1 limit 1")
    renderer = PdfRenderer()
    (tmp_path / "lean").mkdir()
    (tmp_path / "full").mkdir()
    for html in (letter, statement_html(sample_db, customer, AS_OF)):
        fast, plain = renderer.render(html), straightforward_pdf(html)
        assert pages_of(fast) == pages_of(plain)
        for page in range(1, pages_of(fast) + 1):
            a, b = (
                page_png(fast, tmp_path / "lean", page, dpi=100),
                page_png(plain, tmp_path / "full", page, dpi=100),
            )
            assert a.read_bytes() == b.read_bytes(), f"page {page} differs"


def test_a_linked_stylesheet_is_parsed_once_and_again_when_it_changes(folder, tmp_path):
    renderer = PdfRenderer(folder)
    html = '<link rel="stylesheet" href="assets/ok.css"><p>Body</p>'
    assert "ALLOWED-INSIDE" in pdf_text(renderer.render(html), tmp_path)
    sheet = folder / "assets" / "ok.css"
    assert renderer.fetcher.parsed == {sheet}
    # the link itself is answered with nothing: the parsed stylesheet is passed instead
    assert renderer.fetcher.fetch(sheet.as_uri()).read() == b""
    sheet.write_text('body::before { content: "EDITED" }', encoding="utf-8")
    stat = sheet.stat()
    os.utime(sheet, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    text = pdf_text(renderer.render(html), tmp_path)
    assert "EDITED" in text and "ALLOWED-INSIDE" not in text


def test_a_style_in_the_document_still_wins_over_the_shared_stylesheet(folder, tmp_path):
    (folder / "assets" / "ok.css").write_text('p::before { content: "FROM-SHEET" }', encoding="utf-8")
    html = (
        '<link rel="stylesheet" href="assets/ok.css">'
        '<style>p::before { content: "FROM-DOCUMENT" }</style><p>Body</p>'
    )
    text = pdf_text(PdfRenderer(folder).render(html), tmp_path)
    assert "FROM-DOCUMENT" in text and "FROM-SHEET" not in text


def test_the_renderer_refuses_what_the_fetcher_refuses(folder, tmp_path, http_server):
    base, seen = http_server
    renderer = PdfRenderer(folder)
    html = (
        f'<link rel="stylesheet" href="{(tmp_path / "evil.css").as_uri()}">'
        f'<link rel="stylesheet" href="{base}/style.css"><link rel="stylesheet" href="assets/../../evil.css">'
        "<p>Body</p>"
    )
    for _ in range(2):  # the second time from the renderer's caches
        text = pdf_text(renderer.render(html), tmp_path)
        assert "Body" in text and "LEAKED-OUTSIDE" not in text and "FETCHED-OVER-HTTP" not in text
    assert seen == []
    assert renderer.fetcher.parsed == set()


def test_drawing_runs_in_a_frame_with_room_and_passes_results_and_errors_through(folder, tmp_path):
    assert with_stack_room.__code__.co_stacksize == STACK_ROOM
    assert with_stack_room(divmod, 17, 5) == (3, 2)
    with pytest.raises(ZeroDivisionError):
        with_stack_room(divmod, 1, 0)
    # deeper than the room reserved: CPython takes further chunks as before
    nested = "<div>" * 120 + "DEEP" + "</div>" * 120
    assert "DEEP" in pdf_text(PdfRenderer(folder).render(nested), tmp_path)
