"""The fixed words of documents in the customer's language: gettext catalogs loaded with Babel.

One gettext domain, "documents", whose msgids are the English source text ("Due date", "Page %(page)s of
%(pages)s"). The catalogs live beside the templates, templates/locale/<lang>/LC_MESSAGES/documents.po with
the compiled .mo that is read here; they are extracted, updated and compiled with pybabel (README,
"Translations"). A language without a catalog file reads the msgids, that is English, rather than failing a
document run. Formatting of amounts and dates is formatting.py's; both are the project's only Babel users.
"""

from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from pathlib import Path

from babel.support import Translations

DOMAIN = "documents"
LOCALE_FOLDER = "locale"  # inside a templates folder


def N_(message: str) -> str:
    """Mark a msgid for extraction where it is defined (a module-level table); translate it where it is
    used, with the gettext of the document's language. Returns the msgid unchanged."""
    return message


def locale_dir(templates: Path) -> Path:
    """The catalogs of a templates folder: templates/locale."""
    return templates / LOCALE_FOLDER


@lru_cache(maxsize=32)
def load(catalogs: Path, language: str) -> _gettext.NullTranslations:
    """The compiled catalog of a document language ('fr') in a locale folder; the msgids themselves (English)
    when the folder has no catalog of that language."""
    return Translations.load(str(catalogs), [language], DOMAIN)
