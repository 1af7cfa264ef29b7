from __future__ import annotations

import datetime as dt
from decimal import Decimal

import jinja2
import pytest
from jinja2.sandbox import SecurityError

from dunning.documents import templating
from dunning.documents.templating import TemplateFailed, render, render_string
from dunning.errors import BadInput
from tests.conftest import ROOT


class Thing:
    def __init__(self) -> None:
        self.name = "thing"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ x.__dict__ }}",
        "{{ x.__init__.__globals__ }}",
        "{% set l = [1] %}{{ l.append(2) }}",  # immutable sandbox: no mutation of lists
        "{{ d.update({'a': 1}) }}",
    ],
)
def test_sandbox_refuses_unsafe_access(source):
    with pytest.raises(TemplateFailed) as info:
        render_string(source, {"x": Thing(), "d": {}}, name="letter")
    assert isinstance(info.value.__cause__, SecurityError)
    assert "letter" in str(info.value)
    assert isinstance(info.value, BadInput)


def test_sandbox_allows_public_attributes():
    assert render_string("{{ x.name }}", {"x": Thing()}) == "thing"


def test_environment_is_the_immutable_sandbox_with_strict_undefined():
    env = templating.environment()
    assert isinstance(env, jinja2.sandbox.ImmutableSandboxedEnvironment)
    assert env.undefined is jinja2.StrictUndefined


def test_html_strings_are_autoescaped():
    out = render_string("<p>{{ name }}</p>", {"name": "<script>alert('x')</script> & Co"})
    assert out == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co</p>"


def test_text_strings_are_not_escaped():
    out = render_string("Dear {{ name }},", {"name": "Smith & <Sons>"}, html=False)
    assert out == "Dear Smith & <Sons>,"


def test_html_files_are_escaped_and_text_files_not(tmp_path):
    (tmp_path / "letter.html").write_text("<b>{{ name }}</b>", encoding="utf-8")
    (tmp_path / "mail.txt").write_text("Hello {{ name }}", encoding="utf-8")
    assert render("letter.html", {"name": "<i>"}, folder=tmp_path) == "<b>&lt;i&gt;</b>"
    assert render("mail.txt", {"name": "<i>"}, folder=tmp_path) == "Hello <i>"


def test_missing_variable_is_an_error_not_a_blank():
    with pytest.raises(TemplateFailed, match="not available") as info:
        render_string("Dear {{ customer.nmae }},", {"customer": {"name": "A"}}, name="reminder/en")
    assert isinstance(info.value.__cause__, jinja2.UndefinedError)
    assert "reminder/en" in str(info.value)


def test_syntax_error_names_the_line():
    with pytest.raises(TemplateFailed, match="line 2"):
        render_string("ok\n{% if %}", {}, name="t")


def test_missing_template_and_folder(tmp_path):
    with pytest.raises(TemplateFailed, match="not found"):
        render("nope.html", {}, folder=tmp_path)
    with pytest.raises(TemplateFailed, match="does not exist"):
        render("x.html", {}, folder=tmp_path / "missing")


def test_default_folder_is_the_repositorys_templates_folder_in_a_checkout():
    # installed as the package dunning.templates; tests/test_wheel.py checks the same lookup in a wheel
    assert templating.templates_dir() == (ROOT / "templates").resolve()
    assert (templating.templates_dir() / "statement.html").is_file()


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "€1,234.56 due Nov 28, 2026"),
        ("fr", "1\u202f234,56\xa0€ due 28 nov. 2026"),
        ("nl", "€\xa01.234,56 due 28 nov 2026"),
        ("de", "1.234,56\xa0€ due 28.11.2026"),
    ],
)
def test_money_and_date_filters_by_locale(locale, expected):
    out = render_string(
        "{{ amount|money('EUR', locale) }} due {{ day|date(locale) }}",
        {"amount": Decimal("1234.56"), "day": dt.date(2026, 11, 28), "locale": locale},
        html=False,
    )
    assert out == expected


def test_number_filter_and_date_format_argument():
    out = render_string(
        "{{ a|number('de') }} / {{ d|date('de', 'long') }}", {"a": Decimal("-5.5"), "d": dt.date(2026, 3, 1)}
    )
    assert out == "-5,50 / 1. März 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Due date"), ("de", "Fällig am"), ("fr", "Échéance"), ("nl", "Vervaldatum"), ("DEU", "Fällig am"),
     ("xx", "Due date"), (None, "Due date")],
)  # fmt: skip
def test_underscore_translates_into_the_language(language, expected):
    assert render_string('{{ _("Due date") }}', {}, language=language) == expected


def test_trans_blocks_are_translated_and_trimmed():
    source = "{% trans %}\n    Due date\n{% endtrans %}"
    assert render_string(source, {}, language="nl") == "Vervaldatum"


def test_placeholders_are_filled_after_translation_and_escaped_in_html():
    source = '{{ _("Attn. %(name)s", name=who) }}'
    assert render_string(source, {"who": "<b>Ann</b>"}, language="de") == "z. Hd. &lt;b&gt;Ann&lt;/b&gt;"
    assert render_string(source, {"who": "<b>Ann</b>"}, language="de", html=False) == "z. Hd. <b>Ann</b>"


def test_a_value_that_looks_like_a_placeholder_stays_literal():
    out = render_string('{{ _("Attn. %(name)s", name=who) }}', {"who": "%(name)s {{ 7*7 }}"}, language="fr")
    assert out == "À l’attention de %(name)s {{ 7*7 }}"


def test_rendered_files_speak_the_language(tmp_path):
    (tmp_path / "mail.txt").write_text('{{ _("Invoice") }} {{ no }}', encoding="utf-8")
    assert render("mail.txt", {"no": "SI-1"}, folder=tmp_path, language="fr") == "Facture SI-1"
    assert render("mail.txt", {"no": "SI-1"}, folder=tmp_path) == "Invoice SI-1"


def test_a_templates_folder_with_its_own_catalogs_uses_them(tmp_path):
    (tmp_path / "locale").mkdir()  # no catalog inside: its words read as the msgids, in English
    (tmp_path / "mail.txt").write_text('{{ _("Invoice") }}', encoding="utf-8")
    assert templating.catalogs_dir(tmp_path) == tmp_path / "locale"
    assert render("mail.txt", {}, folder=tmp_path, language="de") == "Invoice"


def test_one_environment_per_folder_and_language():
    assert templating.environment(None, "de") is templating.environment(None, "DEU")
    assert templating.environment(None, "de") is not templating.environment(None, "fr")
    assert templating.environment(None, "xx") is templating.environment()  # unknown: English


def test_the_sandbox_and_strict_undefined_hold_in_every_language():
    with pytest.raises(TemplateFailed) as info:
        render_string("{{ ''.__class__ }}", {}, language="fr")
    assert isinstance(info.value.__cause__, SecurityError)
    with pytest.raises(TemplateFailed, match="not available"):
        render_string('{{ _("Invoice") }} {{ missing }}', {}, language="nl")
