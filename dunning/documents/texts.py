"""The texts of each reminder level in each language: subject, opening and closing paragraph.

A level's texts are three short Jinja2 templates over plain, already formatted variables (VARIABLES): the
letter and the email lay them out around the invoice table. The package ships a text per tone and language
(templates/texts/<language>.toml: friendly, firm, final); that is version 0 of every level. A user edits the
texts on the Templates page; each save is a new row of template_versions (version 1, 2, ...), nothing is
overwritten, and a reminder records in reminder_headers.template_version the version that produced it.

Texts render in the sandbox as plain text (no autoescaping): the HTML email and the letter escape them where
they insert them, so a customer named `<script>` or `{{ 7*7 }}` reads literally in every document. A check
renders a text against two sets of example values (every condition true, every condition false) before it is
saved, and reports a syntax error or an unknown variable with its part and line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dunning.access import Action, require
from dunning.db import Database
from dunning.documents import templating
from dunning.documents.formatting import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, language_of
from dunning.errors import BadInput

PARTS = ("subject", "opening", "closing")
TONES = ("friendly", "firm", "final")
SUBJECT_MAX = 200

# name -> what it holds; amounts and dates come formatted for the customer's language and currency
VARIABLES: dict[str, str] = {
    "customer_name": "the customer's name",
    "customer_no": "the customer's number",
    "contact_name": "the addressee's name ('' when the reminder goes to a role mailbox)",
    "company_name": "your company's legal name",
    "controller_name": "the credit controller's name (Company page)",
    "reminder_no": "the reminder's number, e.g. R0000123",
    "reference": "the payment reference to quote (ISO 11649 RF reference)",
    "level": "the reminder level, 1, 2, 3 ...",
    "document_date": "the reminder's date",
    "deadline": "the payment deadline",
    "currency": "the currency code, e.g. EUR",
    "invoice_count": "how many overdue documents the reminder lists",
    "overdue": "the overdue amount",
    "credits": "open credits netted (negative, or zero)",
    "total": "the total to pay: overdue + credits + fee + interest",
    "fee": "the reminder fee",
    "fee_charged": "true when a fee is charged",
    "interest_amount": "the interest charged by this reminder, compensation excluded",
    "interest_charged": "true when interest is charged",
    "interest_rate": "the annual interest rate(s), e.g. 10.15%",
    "interest_period": "the days charged, e.g. 1 Oct 2026 – 28 Nov 2026",
    "compensation": "the fixed compensation for recovery costs",
    "compensation_charged": "true when compensation is claimed",
}

_EXAMPLE = {
    "customer_name": "Example Trading Ltd",
    "customer_no": "C10000",
    "contact_name": "Alex Example",
    "company_name": "Your Company Ltd",
    "controller_name": "Sam Controller",
    "reminder_no": "R0000001",
    "reference": "RF18 R000 0001",
    "level": 2,
    "document_date": "28 Nov 2026",
    "deadline": "5 Dec 2026",
    "currency": "EUR",
    "invoice_count": 2,
    "overdue": "€1,200.00",
    "credits": "€0.00",
    "total": "€1,250.00",
    "fee": "€25.00",
    "interest_amount": "€15.00",
    "interest_rate": "10.15%",
    "interest_period": "1 Oct 2026 – 28 Nov 2026",
    "compensation": "€40.00",
}
_FLAGS = ("fee_charged", "interest_charged", "compensation_charged")


def example_variables(all_true: bool = True) -> dict[str, Any]:
    """Values of every variable for checking and previewing a text without a draft."""
    values: dict[str, Any] = {**_EXAMPLE, **dict.fromkeys(_FLAGS, all_true)}
    if not all_true:
        values["contact_name"] = ""
    return values


@dataclass(frozen=True)
class LevelText:
    """The sources of one level's texts in one language; version 0 is the shipped text."""

    terms_code: str
    level_no: int
    language: str
    version: int
    subject: str
    opening: str
    closing: str
    created_at: dt.datetime | None = None
    created_by: str | None = None

    @property
    def sources(self) -> dict[str, str]:
        return {"subject": self.subject, "opening": self.opening, "closing": self.closing}


@dataclass(frozen=True)
class RenderedText:
    """A level's texts for one reminder: the subject on one line, the paragraphs as plain text."""

    subject: str
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class TextProblem:
    part: str  # subject | opening | closing
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.part}, line {self.line}" if self.line else self.part
        return f"{where}: {self.message}"


@lru_cache(maxsize=8)
def _shipped_file(language: str) -> dict[str, Any]:
    path = templating.shipped_templates_dir() / "texts" / f"{language}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"shipped texts {path}: {exc}; install the package again") from exc


def _shipped_text(db: Database, terms_code: str, level_no: int, lang: str) -> LevelText:
    parts = shipped(_level_tone(db, terms_code, level_no), lang)
    return LevelText(terms_code, level_no, lang, 0, parts["subject"], parts["opening"], parts["closing"])


def shipped(tone: str, language: str) -> dict[str, str]:
    """The shipped subject, opening and closing of a tone in a language (English when it has none)."""
    lang = language_of(language)
    data = _shipped_file(lang)
    table = data.get(tone) or data.get("friendly") or _shipped_file(DEFAULT_LANGUAGE)["friendly"]
    return {part: str(table[part]).strip() for part in PARTS}


# the saved versions of one level and language, newest first; $v: one version, or null for all
_VERSIONS = (
    "select terms_code, level_no, language, version, subject, opening, closing, created_at, created_by"
    " from template_versions where terms_code = $t and level_no = $l and language = $g"
    " and ($v is null or version = $v) order by version desc"
)


def _text(row: Any) -> LevelText:
    return LevelText(*row)


def _level_tone(db: Database, terms_code: str, level_no: int) -> str:
    tone = db.scalar(
        "select tone from reminder_levels where terms_code = $t and level_no = $l",
        {"t": terms_code, "l": level_no},
    )
    return str(tone) if tone else "friendly"


def current(db: Database, terms_code: str, level_no: int, language: str | None) -> LevelText:
    """The text in force: the newest saved version, else the shipped text of the level's tone."""
    lang = language_of(language)
    row = db.one(_VERSIONS, {"t": terms_code, "l": level_no, "g": lang, "v": None})
    if row is not None:
        return _text(row)
    return _shipped_text(db, terms_code, level_no, lang)


def version(db: Database, terms_code: str, level_no: int, language: str | None, number: int) -> LevelText:
    """A given version (0: the shipped text); raises BadInput when it does not exist."""
    lang = language_of(language)
    if number == 0:
        return _shipped_text(db, terms_code, level_no, lang)
    row = db.one(_VERSIONS, {"t": terms_code, "l": level_no, "g": lang, "v": number})
    if row is None:
        raise BadInput(
            f"terms {terms_code} level {level_no} ({lang}) has no text version {number}; "
            "pick one of the versions listed on the Templates page"
        )
    return _text(row)


def versions(db: Database, terms_code: str, level_no: int, language: str | None) -> list[LevelText]:
    """The saved versions, newest first (the shipped text, version 0, is not listed)."""
    rows = db.rows(_VERSIONS, {"t": terms_code, "l": level_no, "g": language_of(language), "v": None})
    return [_text(r) for r in rows]


def _line_of(exc: BaseException, name: str) -> int | None:
    cause = exc.__cause__ or exc
    lineno = getattr(cause, "lineno", None)  # a syntax error knows its line
    if isinstance(lineno, int):
        return lineno
    frames = [f for f in traceback.extract_tb(cause.__traceback__) if f.filename in (name, "<template>")]
    return frames[-1].lineno if frames else None


def _clean_message(exc: BaseException) -> str:
    cause = exc.__cause__
    text = str(getattr(cause, "message", None) or cause or exc)
    return text.replace("'dict object' has no attribute", "unknown variable")


def check(sources: Mapping[str, str], variables: Mapping[str, Any] | None = None) -> list[TextProblem]:
    """Every problem of the texts: syntax errors and unknown variables with part and line, an empty part,
    a subject that is too long. Checked against the given variables, or against both example sets."""
    problems = []
    for part in PARTS:
        source = sources.get(part, "")
        if not source.strip():
            problems.append(TextProblem(part, None, "is empty; write a text"))
            continue
        for values in (
            [variables] if variables is not None else [example_variables(True), example_variables(False)]
        ):
            try:
                _render_part(part, source, values)
            except templating.TemplateFailed as exc:
                problems.append(TextProblem(part, _line_of(exc, part), _clean_message(exc)))
                break
    return problems


def save(
    db: Database,
    terms_code: str,
    level_no: int,
    language: str,
    sources: Mapping[str, str],
    by: str | None = None,
) -> LevelText:
    """Check the texts and keep them as the level's next version in the language; nothing is saved when a
    check fails (BadInput lists every problem)."""
    require(db.actor, Action.SETTINGS)
    by = by or db.actor.name
    lang = language_of(language)
    if language.strip().lower() not in SUPPORTED_LANGUAGES:
        raise BadInput(f"language {language!r}: texts are kept for {', '.join(SUPPORTED_LANGUAGES)}")
    if (
        db.scalar(
            "select count(*) from reminder_levels where terms_code = $t and level_no = $l",
            {"t": terms_code, "l": level_no},
        )
        == 0
    ):
        raise BadInput(
            f"terms {terms_code} have no level {level_no}; add the level on the Reminder terms page"
        )
    problems = check(sources)
    if problems:
        raise BadInput("the texts were not saved: " + "; ".join(map(str, problems)))
    with db.transaction() as tx:
        number = tx.scalar(
            "select coalesce(max(version), 0) + 1 from template_versions"
            " where terms_code = $t and level_no = $l and language = $g",
            {"t": terms_code, "l": level_no, "g": lang},
        )
        tx.execute(
            "insert into template_versions (terms_code, level_no, language, version, subject, opening, closing,"
            " created_by) values ($t, $l, $g, $v, $s, $o, $c, $b)",
            {"t": terms_code, "l": level_no, "g": lang, "v": number, "b": by,
             **{p[0]: sources[p] for p in PARTS}},
        )  # fmt: skip
    return version(db, terms_code, level_no, lang, int(number))


_BLANK_LINE = re.compile(r"\n\s*\n")
_SPACE = re.compile(r"\s+")


def _render_part(part: str, source: str, variables: Mapping[str, Any]) -> str:
    return templating.render_string(source, variables, html=False, name=part, keep_lines=True)


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs are separated by a blank line; the lines of one paragraph join with a space."""
    return tuple(p for p in (_SPACE.sub(" ", block).strip() for block in _BLANK_LINE.split(text)) if p)


def subject_line(text: str) -> str:
    """One line, whitespace (line breaks included: no header injection) collapsed, at most SUBJECT_MAX."""
    line = _SPACE.sub(" ", text).strip()
    return line if len(line) <= SUBJECT_MAX else line[: SUBJECT_MAX - 1].rstrip() + "…"


def render(text: LevelText, variables: Mapping[str, Any]) -> RenderedText:
    """The texts of one reminder; raises BadInput naming the part and line when a text fails."""
    try:
        return RenderedText(
            subject=subject_line(_render_part("subject", text.subject, variables)),
            opening=paragraphs(_render_part("opening", text.opening, variables)),
            closing=paragraphs(_render_part("closing", text.closing, variables)),
            version=text.version,
        )
    except templating.TemplateFailed as exc:
        raise BadInput(
            f"terms {text.terms_code} level {text.level_no} ({text.language}) text version {text.version}: "
            f"{exc}; correct it on the Templates page"
        ) from exc
