"""Column mappings: presets, field=column pairs, resolution against a file's header, preset detection."""

from __future__ import annotations

import json

import pytest

from dunning.errors import BadInput
from dunning.ledger.imports.mapping import (
    FIELDS,
    PRESETS,
    REQUIRED,
    Mapping,
    build_mapping,
    detect_preset,
    mapping_from_columns,
)
from dunning.ledger.imports.names import match_columns

BC_HEADER = (
    "Posting Date", "Document Date", "Document Type", "Document No.", "Customer No.", "Customer Name",
    "Description", "Currency Code", "Original Amount", "Amount", "Amount (LCY)", "Remaining Amount",
    "Remaining Amt. (LCY)", "Due Date", "Open", "Dispute Status", "On Hold", "Entry No.", "Promised Pay Date",
    "External Document No.", "Closed at Date", "Last Issued Reminder Level",
)  # fmt: skip
IBM_HEADER = (
    "countryCode",
    "customerID",
    "invoiceNumber",
    "InvoiceDate",
    "DueDate",
    "InvoiceAmount",
    "SettledDate",
)


@pytest.mark.parametrize(
    ("preset", "pairs", "message"),
    [
        ("sap", [], "unknown mapping preset 'sap'"),
        (None, ["document_no"], "is not FIELD=COLUMN"),
        (None, ["=invoiceNumber"], "is not FIELD=COLUMN"),
        (None, ["document_no="], "is not FIELD=COLUMN"),
        (None, ["invoice=invoiceNumber"], "unknown field 'invoice'"),
        (None, ["amount=A", "amount=B"], "field amount is already mapped to 'A'"),
    ],
)
def test_build_mapping_refuses_bad_input(preset: str | None, pairs: list[str], message: str) -> None:
    with pytest.raises(BadInput, match=message):
        build_mapping(preset, pairs, None)


def test_every_field_of_the_issue_can_be_mapped() -> None:
    issue_fields = (
        "entry_no document_type document_no customer_no customer_name description currency posting_date "
        "document_date due_date amount remaining_amount amount_lcy remaining_amount_lcy closed_at on_hold "
        "dispute_status promised_pay_date external_document_no"
    ).split()
    mapping = build_mapping(None, [f"{f}=col_{f}" for f in issue_fields], "%d.%m.%Y")
    assert dict(mapping.explicit) == {f: f"col_{f}" for f in issue_fields}
    assert mapping.date_format == "%d.%m.%Y"
    assert set(issue_fields) <= set(FIELDS)


def test_explicit_pairs_resolve_against_the_file_header() -> None:
    mapping = build_mapping(
        None,
        ["document_no=invoiceNumber", "customer_no=customerID", "due_date=DueDate", "amount=InvoiceAmount",
         "closed_at= SettledDate "],
        "%m/%d/%Y",
    )  # fmt: skip
    resolved = mapping.resolve(IBM_HEADER, "ar.csv")
    assert resolved.problems == ()
    assert resolved.columns == {
        "document_no": "invoiceNumber", "customer_no": "customerID", "due_date": "DueDate",
        "amount": "InvoiceAmount", "closed_at": "SettledDate",
        "posting_date": "InvoiceDate",  # not named, recognised from its name
    }  # fmt: skip
    assert json.loads(resolved.to_json())["date_format"] == "%m/%d/%Y"


def test_bc_preset_prefers_original_amount_over_amount() -> None:
    resolved = build_mapping("bc", [], None).resolve(BC_HEADER, "cle.csv")
    assert resolved.columns["amount"] == "Original Amount"
    assert resolved.columns["amount_lcy"] == "Amount (LCY)"
    assert resolved.columns["open"] == "Open"
    without_original = tuple(h for h in BC_HEADER if h != "Original Amount")
    assert build_mapping("bc", [], None).resolve(without_original, "cle.csv").columns["amount"] == "Amount"


def test_bc_preset_maps_every_export_column() -> None:
    resolved = build_mapping("bc", [], None).resolve(BC_HEADER, "cle.csv")
    assert set(BC_HEADER) - set(resolved.columns.values()) == {"Amount"}  # "Original Amount" is preferred


def test_bc_preset_reads_the_last_issued_reminder_level_and_a_mapped_date() -> None:
    resolved = build_mapping("bc", ["last_reminder_date=Reminded On"], None).resolve(
        (*BC_HEADER, "Reminded On"), "cle.csv"
    )
    assert resolved.columns["last_reminder_level"] == "Last Issued Reminder Level"
    assert resolved.columns["last_reminder_date"] == "Reminded On"
    assert "last_reminder_date" not in build_mapping("bc", [], None).resolve(BC_HEADER, "cle.csv").columns


@pytest.mark.parametrize("column", ["Language Code", "Customer Language Code", "language code"])
def test_bc_preset_reads_the_customers_language_code(column: str) -> None:
    resolved = build_mapping("bc", [], None).resolve((*BC_HEADER, column), "cle.csv")
    assert resolved.problems == () and resolved.columns["customer_language"] == column


def test_bc_prefers_language_code_and_maps_no_language_when_the_export_has_none() -> None:
    both = build_mapping("bc", [], None).resolve(
        (*BC_HEADER, "Customer Language Code", "Language Code"), "c.csv"
    )
    assert both.columns["customer_language"] == "Language Code"
    assert "customer_language" not in build_mapping("bc", [], None).resolve(BC_HEADER, "cle.csv").columns


def test_native_and_explicit_mappings_read_the_customer_language() -> None:
    native = build_mapping(None, [], None).resolve((*REQUIRED, "customer_language"), "n.csv")
    assert native.columns["customer_language"] == "customer_language"
    explicit = build_mapping(None, ["customer_language=Lang"], None).resolve((*REQUIRED, "Lang"), "n.csv")
    assert explicit.columns["customer_language"] == "Lang"


def test_header_matches_ignoring_case_and_spaces() -> None:
    header = ("document no.", "CUSTOMER NO.", " Due  Date ", "Amount")
    resolved = build_mapping("bc", [], None).resolve(header, "x.csv")
    assert resolved.problems == ()
    assert resolved.columns["due_date"] == " Due  Date "


def test_explicit_pair_overrides_the_preset() -> None:
    resolved = build_mapping("bc", ["due_date=Posting Date"], None).resolve(BC_HEADER, "cle.csv")
    assert resolved.columns["due_date"] == "Posting Date"


@pytest.mark.parametrize(
    ("pairs", "column", "field"),
    [
        (["document_no=Invoice"], "Invoice", "document_no"),  # required, mapped to a missing column
        (["closed_at=Paid On"], "Paid On", "closed_at"),  # optional, but named by the user: must exist
    ],
)
def test_missing_mapped_column_names_column_and_field(pairs: list[str], column: str, field: str) -> None:
    resolved = build_mapping("bc", pairs, None).resolve(BC_HEADER, "cle.csv")
    (problem,) = resolved.problems
    assert problem.file == "cle.csv" and problem.column == column and problem.row is None
    assert field in problem.message and repr(column) in problem.message


def test_missing_required_native_columns_are_each_reported() -> None:
    resolved = build_mapping("native", [], None).resolve(("document_no", "amount"), "n.csv")
    assert sorted(p.column for p in resolved.problems) == ["customer_no", "due_date"]


def test_optional_preset_columns_may_be_absent() -> None:
    resolved = build_mapping(None, [], None).resolve(REQUIRED, "n.csv")
    assert resolved.problems == ()
    assert set(resolved.columns) == set(REQUIRED)


@pytest.mark.parametrize(
    ("header", "preset"),
    [
        (BC_HEADER, "bc"),
        (("Document No.", "Customer No.", "Due Date", "Amount"), "bc"),
        (("document_no", "customer_no", "due_date", "amount", "currency"), "native"),
        (IBM_HEADER, "auto"),
        (("Belegnr.", "Debitorennr.", "Fälligkeitsdatum", "Betrag"), "auto"),
        (("Document No.", "Customer No.", "Amount"), None),
    ],
)
def test_detect_preset(header: tuple[str, ...], preset: str | None) -> None:
    assert detect_preset(header) == preset


def test_no_preset_detects_bc_from_the_header() -> None:
    assert Mapping().preset_for(BC_HEADER) == "bc"
    assert Mapping().resolve(BC_HEADER, "x.csv").columns["document_no"] == "Document No."


def test_form_mapping_reports_unmapped_required_fields() -> None:
    mapping = mapping_from_columns({"document_no": "Doc", "amount": "Amt", "customer_no": None}, "")
    assert mapping.date_format is None
    resolved = mapping.resolve(("Doc", "Amt", "Customer No.", "Due Date"), "f.csv")
    missing = sorted(p.message.split()[3] for p in resolved.problems)
    assert missing == ["customer_no", "due_date"]  # no preset fills them in behind the user's back
    assert resolved.columns == {"document_no": "Doc", "amount": "Amt"}


def test_form_mapping_refuses_unknown_fields() -> None:
    with pytest.raises(BadInput, match="unknown field"):
        mapping_from_columns({"invoice": "Doc"}, None)


def test_presets_only_name_known_fields() -> None:
    for columns in PRESETS.values():
        assert set(columns) <= set(FIELDS)


@pytest.mark.parametrize(
    ("mapping", "header", "date_format"),
    [
        (Mapping(preset="bc"), BC_HEADER, "%d.%m.%Y"),  # the shipped example's dates
        (Mapping(), BC_HEADER, "%d.%m.%Y"),  # bc detected from the header
        (Mapping(preset="bc", date_format="%m/%d/%Y"), BC_HEADER, "%m/%d/%Y"),  # a given format wins
        (Mapping(), tuple(FIELDS), None),  # native: ISO
        (mapping_from_columns({"document_no": "Document No."}, ""), BC_HEADER, None),  # the form says it all
    ],
)
def test_preset_date_format_applies_when_none_is_given(
    mapping: Mapping, header: tuple[str, ...], date_format: str | None
) -> None:
    assert mapping.resolve(header, "x.csv").date_format == date_format


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (("DueDate", "Due Date", "InvoiceAmount"), {"due_date": "DueDate", "amount": "InvoiceAmount"}),
        (("Fälligkeitsdatum", "Betrag", "Restbetrag", "Belegnr."),
         {"due_date": "Fälligkeitsdatum", "amount": "Betrag", "remaining_amount": "Restbetrag",
          "document_no": "Belegnr."}),
        (("Échéance", "Montant", "N° facture", "Client"),
         {"due_date": "Échéance", "amount": "Montant", "document_no": "N° facture", "customer_no": "Client"}),
        (("Amount", "Amount (LCY)", "Remaining Amount"),
         {"amount": "Amount", "amount_lcy": "Amount (LCY)", "remaining_amount": "Remaining Amount"}),
        (("VERVALDATUM", "factuur_nummer", "due_date"), {"due_date": "due_date", "document_no": "factuur_nummer"}),
    ],
)  # fmt: skip
def test_columns_are_recognised_from_their_names_in_several_languages(header, expected) -> None:
    assert match_columns(header, FIELDS) == expected


def test_each_column_feeds_one_field_only() -> None:
    found = match_columns(("Amount (LCY)", "Amount"), FIELDS)
    assert found == {"amount_lcy": "Amount (LCY)", "amount": "Amount"}


def test_recognised_columns_map_a_file_without_a_preset() -> None:
    resolved = build_mapping(None, [], None).resolve(IBM_HEADER, "ar.csv")
    assert resolved.problems == ()
    assert {k: resolved.columns[k] for k in ("document_no", "customer_no", "due_date", "amount")} == {
        "document_no": "invoiceNumber", "customer_no": "customerID", "due_date": "DueDate",
        "amount": "InvoiceAmount",
    }  # fmt: skip
