"""The gettext catalogs of documents: complete, compiled, and in step with the templates and code.

When one of these fails after you added or changed a _() word, run the three pybabel commands of the README
("Translations"), translate the new msgids in fr, nl and de, and compile.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from dunning.documents import templating, translations
from tests.conftest import ROOT

LOCALE = ROOT / "templates" / "locale"
LANGUAGES = ("en", "fr", "nl", "de")
TRANSLATED = ("fr", "nl", "de")  # English reads the msgids themselves
COMMANDS = 'the README\'s "Translations" commands'
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{translations.DOMAIN}.po"


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=translations.DOMAIN)


def messages(catalog: Catalog) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_the_shipped_catalogs_are_the_ones_documents_use():
    assert templating.catalogs_dir() == LOCALE.resolve()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_ships_its_catalog_and_compiled_catalog(lang):
    assert po_path(lang).is_file() and po_path(lang).with_suffix(".mo").is_file(), (
        f"{lang}: no catalog; create it with pybabel init -D documents -i templates/locale/documents.pot "
        f"-d templates/locale -l {lang}, then follow {COMMANDS}"
    )


def test_the_template_lists_every_word_of_the_templates_and_code():
    """Extract as pybabel does with babel.cfg; a _() word missing from documents.pot was never extracted."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {
        (message if isinstance(message, str) else message[0]): filename
        for filename, _line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map)
    }
    listed = set(messages(read(LOCALE / "documents.pot")))
    assert "Due date" in found and "Invoice" in found  # a template's word and a word of the code
    assert not any(name.startswith("templates/assets") for name in found.values())
    missing = {m: f for m, f in found.items() if m not in listed}
    assert not missing, f"words not in documents.pot: {missing}; run {COMMANDS}"
    assert not listed - set(found), f"documents.pot lists words no longer used; run {COMMANDS}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_has_every_word_of_the_template(lang):
    listed = set(messages(read(LOCALE / "documents.pot")))
    have = set(messages(read(po_path(lang), lang)))
    assert have == listed, (
        f"{lang}: missing {sorted(listed - have)}, extra {sorted(have - listed)}; run pybabel update ({COMMANDS})"
    )


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_word_is_translated_and_none_is_fuzzy(lang):
    catalog = read(po_path(lang), lang)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{po_path(lang)}: translate {untranslated}"
    assert not fuzzy, f"{po_path(lang)}: check these guesses and remove their fuzzy flag: {fuzzy}"
    assert not catalog.fuzzy, f"{po_path(lang)}: the catalog itself is marked fuzzy; remove the flag"
    assert not catalog.obsolete, f"{po_path(lang)}: remove the obsolete (#~) entries"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    wrong = {
        m.id: m.string
        for m in read(po_path(lang), lang)
        if m.id and m.string and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    }
    assert not wrong, (
        f"{lang}: placeholders such as %(date)s must appear in the translation as in the msgid: {wrong}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(lang):
    """The .mo that documents read holds exactly what its .po says (fuzzy entries left out, as pybabel does)."""
    compiled = io.BytesIO()
    write_mo(compiled, read(po_path(lang), lang))
    compiled.seek(0)
    with po_path(lang).with_suffix(".mo").open("rb") as f:
        shipped = read_mo(f)
    assert messages(shipped) == messages(read_mo(compiled)), (
        f"{po_path(lang).with_suffix('.mo')} is older than its .po; run pybabel compile -D documents "
        "-d templates/locale"
    )


def test_the_placeholder_check_sees_a_dropped_placeholder():
    catalog = Catalog(locale="de")
    catalog.add("Pay by %(date)s", "Zahlbar bis")
    (message,) = [m for m in catalog if m.id]
    assert PLACEHOLDER.findall(message.id) == ["date"] and PLACEHOLDER.findall(message.string) == []


@pytest.mark.parametrize(
    ("language", "word"),
    [("de", "Fällig am"), ("fr", "Échéance"), ("nl", "Vervaldatum"), ("en", "Due date"), ("DEU", "Fällig am"),
     ("fr-BE", "Échéance"), ("es", "Due date"), (None, "Due date")],
)  # fmt: skip
def test_gettext_for_a_language(language, word):
    assert templating.gettext_for(language)("Due date") == word


def test_a_word_without_translation_reads_as_its_msgid():
    assert templating.gettext_for("de")("A word nobody translated") == "A word nobody translated"


def test_a_missing_catalog_reads_english(tmp_path):
    (tmp_path / "locale" / "de" / "LC_MESSAGES").mkdir(parents=True)  # a folder without documents.mo
    assert translations.load(tmp_path / "locale", "de").gettext("Due date") == "Due date"
    assert translations.load(tmp_path / "elsewhere", "fr").gettext("Invoice") == "Invoice"
