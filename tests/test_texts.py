"""The texts of each level per language: shipped defaults by tone, saved versions, checks with part and line,
the sandbox, one-line subjects."""

from __future__ import annotations

import pytest

from dunning.documents import texts
from dunning.documents.formatting import SUPPORTED_LANGUAGES
from dunning.errors import BadInput

GOOD = {
    "subject": "Reminder {{ reminder_no }}",
    "opening": "Dear {{ contact_name or customer_name }},\n\nplease pay.",
    "closing": "Pay {{ total }} by {{ deadline }}.",
}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("tone", texts.TONES)
def test_every_shipped_text_renders_with_every_condition_true_and_false(tone, language):
    sources = texts.shipped(tone, language)
    assert texts.check(sources) == []
    for all_true in (True, False):
        text = texts.LevelText("DEFAULT", 1, language, 0, **sources)
        rendered = texts.render(text, texts.example_variables(all_true))
        assert "R0000001" in rendered.subject
        assert rendered.opening and rendered.closing
        assert any("€1,250.00" in p for p in rendered.closing)  # the total to pay is named


def test_shipped_texts_differ_by_language_and_tone():
    subjects = {
        (t, lang): texts.shipped(t, lang)["subject"] for t in texts.TONES for lang in SUPPORTED_LANGUAGES
    }
    assert len(set(subjects.values())) == len(subjects)


def test_final_text_spells_out_the_legal_claim():
    rendered = texts.render(
        texts.LevelText("DEFAULT", 3, "en", 0, **texts.shipped("final", "en")), texts.example_variables(True)
    )
    body = " ".join(rendered.opening)
    assert "10.15%" in body and "1 Oct 2026 – 28 Nov 2026" in body and "€40.00" in body
    quiet = texts.render(
        texts.LevelText("DEFAULT", 3, "en", 0, **texts.shipped("final", "en")), texts.example_variables(False)
    )
    assert "interest" not in " ".join(quiet.opening)


def test_paragraphs_join_wrapped_lines_and_split_on_blank_lines():
    assert texts.paragraphs("Dear Ann,\n\nthe invoices\nbelow are due.\n\n\nThanks") == (
        "Dear Ann,",
        "the invoices below are due.",
        "Thanks",
    )


def test_a_condition_at_the_end_of_a_line_keeps_the_paragraphs_apart():
    text = texts.LevelText(
        "DEFAULT", 1, "en", 0, "S", "{% if contact_name %}Hello {{ contact_name }},{% endif %}\n\nBody.", "C"
    )
    assert texts.render(text, texts.example_variables(True)).opening == ("Hello Alex Example,", "Body.")


def test_subject_is_one_line_whatever_the_text_or_the_data():
    line = texts.subject_line("Reminder\r\nBcc: victim@example.com\n  for you")
    assert line == "Reminder Bcc: victim@example.com for you"
    assert (
        "\n" not in texts.subject_line("x" * 500) and len(texts.subject_line("x" * 500)) == texts.SUBJECT_MAX
    )


def test_current_text_is_the_shipped_text_of_the_levels_tone_until_one_is_saved(db):
    first = texts.current(db, "DEFAULT", 1, "de")
    assert (first.version, first.subject) == (0, texts.shipped("friendly", "de")["subject"])
    final = texts.current(db, "DEFAULT", 3, "fr")
    assert final.subject == texts.shipped("final", "fr")["subject"]
    saved = texts.save(db, "DEFAULT", 1, "de", GOOD, by="ann")
    assert (saved.version, saved.created_by) == (1, "ann")
    assert texts.current(db, "DEFAULT", 1, "de").subject == GOOD["subject"]
    assert texts.current(db, "DEFAULT", 1, "fr").version == 0  # other languages keep theirs


def test_every_save_is_a_new_version_and_old_ones_stay(db):
    texts.save(db, "DEFAULT", 2, "en", GOOD)
    texts.save(db, "DEFAULT", 2, "en", {**GOOD, "subject": "Second {{ reminder_no }}"})
    assert [v.version for v in texts.versions(db, "DEFAULT", 2, "en")] == [2, 1]
    assert texts.version(db, "DEFAULT", 2, "en", 1).subject == GOOD["subject"]
    assert texts.version(db, "DEFAULT", 2, "en", 0).subject == texts.shipped("firm", "en")["subject"]
    with pytest.raises(BadInput, match="no text version 7"):
        texts.version(db, "DEFAULT", 2, "en", 7)


def test_unknown_language_reads_english(db):
    assert texts.current(db, "DEFAULT", 1, "sv").subject == texts.shipped("friendly", "en")["subject"]


@pytest.mark.parametrize(
    ("part", "source", "line", "says"),
    [
        ("opening", "Dear {{ customer_name }},\n\n{% if fee_charged %}\nfee", 3, "endif"),  # the open block
        ("closing", "Pay now.\nReally.\n{{ custmer_name }}", 3, "custmer_name"),
        ("subject", "{{ total | nosuchfilter }}", 1, "nosuchfilter"),
        ("opening", "   ", None, "empty"),
    ],
)
def test_a_bad_text_is_refused_with_its_part_and_line_and_nothing_is_saved(db, part, source, line, says):
    problems = texts.check({**GOOD, part: source})
    assert [(p.part, p.line) for p in problems] == [(part, line)]
    assert says in problems[0].message
    with pytest.raises(BadInput, match=f"{part}"):
        texts.save(db, "DEFAULT", 1, "en", {**GOOD, part: source})
    assert texts.versions(db, "DEFAULT", 1, "en") == []


def test_unknown_variable_in_a_branch_not_taken_by_one_example_is_still_found():
    problems = texts.check({**GOOD, "closing": "{% if not fee_charged %}{{ nosuch }}{% endif %}ok"})
    assert problems and "nosuch" in problems[0].message


def test_template_code_cannot_reach_python_internals(db):
    source = "{{ customer_name.__class__.__mro__[1].__subclasses__() }}"
    problems = texts.check({**GOOD, "opening": source})
    assert problems and problems[0].part == "opening"
    with pytest.raises(BadInput):
        texts.save(db, "DEFAULT", 1, "en", {**GOOD, "opening": source})


def test_data_is_never_run_as_template_code():
    text = texts.LevelText("DEFAULT", 1, "en", 0, "{{ customer_name }}", "{{ customer_name }}", "x")
    values = {**texts.example_variables(), "customer_name": "{{ 7*7 }} <script>alert(1)</script>"}
    rendered = texts.render(text, values)
    assert rendered.subject == "{{ 7*7 }} <script>alert(1)</script>"  # plain text; the HTML escapes it


def test_texts_for_a_level_that_does_not_exist_are_refused(db):
    with pytest.raises(BadInput, match="no level 9"):
        texts.save(db, "DEFAULT", 9, "en", GOOD)
    with pytest.raises(BadInput, match="language 'sv'"):
        texts.save(db, "DEFAULT", 1, "sv", GOOD)


def test_a_failing_stored_text_names_terms_level_version_and_part(db):
    bad = texts.LevelText("DEFAULT", 2, "en", 4, "ok", "{{ nosuch }}", "ok")
    with pytest.raises(BadInput, match=r"terms DEFAULT level 2 \(en\) text version 4.*nosuch"):
        texts.render(bad, texts.example_variables())
