"""Document templates: the only module that imports Jinja2, always through its immutable sandbox.

Templates are user-editable (later issues keep versions of them in the database), so they run in
`ImmutableSandboxedEnvironment`: no access to private or dunder attributes, no mutation of the context.
HTML is autoescaped, and a missing variable is an error rather than a silent blank in a letter to a customer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from dunning.documents import formatting
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


def _make(folder: Path | None, autoescape: bool | Any) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)) if folder is not None else None,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters["money"] = _money
    env.filters["date"] = _date
    env.filters["number"] = _number
    return env


@lru_cache(maxsize=16)
def environment(folder: str | Path | None = None) -> ImmutableSandboxedEnvironment:
    """The sandboxed environment over a templates folder; HTML and XML files are autoescaped."""
    return _make(templates_dir(folder), jinja2.select_autoescape(("html", "htm", "xml"), default=False))


@lru_cache(maxsize=2)
def _string_environment(autoescape: bool) -> ImmutableSandboxedEnvironment:
    return _make(None, autoescape)


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


def render(name: str, context: Mapping[str, Any], folder: str | Path | None = None) -> str:
    """Render templates/NAME (or NAME in an explicit folder) with the context."""
    env = environment(str(folder) if folder is not None else None)
    return _render(name, lambda: env.get_template(name), context)


def render_string(
    source: str, context: Mapping[str, Any], *, html: bool = True, name: str = "<string>"
) -> str:
    """Render a template kept as text (a stored template version); html=False for plain-text mail bodies."""
    env = _string_environment(html)
    return _render(name, lambda: env.from_string(source), context)
