"""Document templates: the only module that imports Jinja2, always through its immutable sandbox.

Templates are user-editable (later issues keep versions of them in the database), so they run in
`ImmutableSandboxedEnvironment`: no access to private or dunder attributes, no mutation of the context.
HTML is autoescaped, and a missing variable is an error rather than a silent blank in a letter to a customer.

The fixed words of a document are gettext msgids in English, `{{ _("Due date") }}` or `{% trans %}`, translated
by the "documents" catalogs (translations.py) of the language the document is rendered in: one environment per
templates folder and language. Gettext is "newstyle": `_("Page %(page)s of %(pages)s", page=n)` fills its
placeholders after translation and escapes them in HTML (write %% for a literal percent sign).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from dunning.documents import formatting, translations
from dunning.errors import BadInput

# templates/ at the repository's top, installed as this package (pyproject.toml maps it) in a checkout's
# editable install and in the wheel alike
TEMPLATES_PACKAGE = "dunning.templates"


class TemplateFailed(BadInput):
    """A template could not be loaded or rendered; the message names the template and the cause."""


def shipped_templates_dir() -> Path:
    """The templates folder that ships with the package (templates/ at the repository's top)."""
    try:
        found = resources.files(TEMPLATES_PACKAGE)
    except ModuleNotFoundError:
        raise TemplateFailed(
            f"the shipped templates ({TEMPLATES_PACKAGE}) are not installed; install the project again "
            "(pip install -e . in a checkout) or pass a templates folder explicitly"
        ) from None
    if not isinstance(found, Path):
        raise TemplateFailed(
            f"the shipped templates are inside an archive ({found}); install the package unpacked "
            "or pass a templates folder explicitly"
        )
    return found


def templates_dir(folder: str | Path | None = None) -> Path:
    """The templates folder: the explicit one when given, else the one that ships with the package."""
    path = Path(folder) if folder is not None else shipped_templates_dir()
    if not path.is_dir():
        raise TemplateFailed(
            f"templates folder {path} does not exist; pass a folder that holds the templates"
        )
    return path.resolve()


def _money(amount: Decimal | int, currency: str, locale: str | None = None) -> str:
    return formatting.money(amount, currency, locale)


def _date(value: dt.date | None, locale: str | None = None, fmt: str = "medium") -> str:
    return formatting.date(value, locale, fmt)


def _number(amount: Decimal | int, locale: str | None = None, places: int = 2) -> str:
    return formatting.number(amount, locale, places)


def catalogs_dir(folder: str | Path | None = None) -> Path:
    """The gettext catalogs documents use: the templates folder's locale/ when it has one, else the shipped."""
    own = translations.locale_dir(templates_dir(folder))
    return own if own.is_dir() or folder is None else translations.locale_dir(shipped_templates_dir())


def gettext_for(language: str | None, folder: str | Path | None = None) -> Callable[[str], str]:
    """The gettext of a document language, for Python code that needs a translated word (the statement's
    document types, a reminder's reasons); an unknown language gets English. Mark the msgids it will be given
    with translations.N_ (or call it as gettext("...") with a literal) so that pybabel extracts them."""
    return translations.load(catalogs_dir(folder), formatting.language_of(language)).gettext


def _make(
    folder: Path | None, autoescape: bool | Any, language: str, catalogs: Path, trim: bool = True
) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)) if folder is not None else None,
        extensions=["jinja2.ext.i18n"],
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["money"] = _money
    env.filters["date"] = _date
    env.filters["number"] = _number
    # {% trans %} blocks are trimmed of line breaks and indentation, as babel.cfg extracts them
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(  # type: ignore[attr-defined]  # added by the i18n extension
        translations.load(catalogs, language), newstyle=True
    )
    return env


def environment(
    folder: str | Path | None = None, language: str | None = "en"
) -> ImmutableSandboxedEnvironment:
    """The sandboxed environment over a templates folder, speaking a document language (English when the
    language is unknown); HTML and XML files are autoescaped."""
    return _environment(str(folder) if folder is not None else None, formatting.language_of(language))


@lru_cache(maxsize=32)
def _environment(folder: str | None, language: str) -> ImmutableSandboxedEnvironment:
    autoescape = jinja2.select_autoescape(("html", "htm", "xml"), default=False)
    return _make(templates_dir(folder), autoescape, language, catalogs_dir(folder))


@lru_cache(maxsize=16)
def _string_environment(autoescape: bool, language: str, trim: bool) -> ImmutableSandboxedEnvironment:
    return _make(None, autoescape, language, catalogs_dir(), trim)


def _render(template_name: str, load: Any, context: Mapping[str, Any]) -> str:
    try:
        return str(load().render(dict(context)))
    except jinja2.TemplateNotFound as exc:
        raise TemplateFailed(f"template {exc.name!r} not found; check the templates folder") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailed(
            f"template {template_name}, line {exc.lineno}: {exc.message}; correct the template"
        ) from exc
    except SecurityError as exc:
        raise TemplateFailed(
            f"template {template_name} tried something the sandbox forbids ({exc}); "
            "use only the documented variables and filters"
        ) from exc
    except jinja2.UndefinedError as exc:
        raise TemplateFailed(
            f"template {template_name} uses a value that is not available ({exc.message}); "
            "correct the variable name in the template"
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateFailed(f"template {template_name} failed: {exc}; correct the template") from exc


def render(
    name: str, context: Mapping[str, Any], folder: str | Path | None = None, language: str | None = "en"
) -> str:
    """Render templates/NAME (or NAME in an explicit folder) with the context, its fixed words in the
    language (en, fr, nl, de; English for any other)."""
    env = environment(folder, language)
    return _render(name, lambda: env.get_template(name), context)


def render_string(
    source: str,
    context: Mapping[str, Any],
    *,
    html: bool = True,
    name: str = "<string>",
    language: str | None = "en",
    keep_lines: bool = False,
) -> str:
    """Render a template kept as text (a stored template version); html=False for plain-text mail bodies.
    Its _() words come from the shipped catalogs of the language. keep_lines: a block tag keeps the line
    break after it (no trim_blocks), as a user writing a paragraph text expects."""
    lang = formatting.language_of(language)
    return _render(name, lambda: _compiled(source, html, lang, keep_lines is False), context)


@lru_cache(maxsize=512)
def _compiled(source: str, autoescape: bool, language: str, trim: bool) -> jinja2.Template:
    """A text compiled once: a batch renders the same few level texts for every reminder (a failed
    compilation raises and is not kept)."""
    return _string_environment(autoescape, language, trim).from_string(source)
