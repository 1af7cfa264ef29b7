"""Which file column feeds which field of a customer or contact: the presets, `field=Column` pairs, detection.

Three presets read Business Central's list pages as "Open in Excel" writes them (English captions):
- customers `bc`: the page "Customers" (page 22, table Customer): "No.", "Name", "Address", "Post Code",
  "City", "Country/Region Code", "Language Code", "Currency Code", "VAT Registration No.", "Reminder Terms Code",
  "Blocked", "Payment Terms Code", "E-Mail" and "Contact" (a customer's email becomes a contact);
- contacts `bc`: the page "Contacts" (page 5052, table Contact): "No.", "Name", "Company Name", "E-Mail",
  "Phone No.", "Language Code"; it names each person's company, not the customer, so the customer is found
  through the stored Contact Business Relations (or a "Customer No." column when the export has one);
- contacts `bc_relations`: the page "Contact Business Relations" (page 5061 / 5062, table Contact Business
  Relation): "Contact No.", "Contact Name", "Link to Table", "No." (the customer's number).
`native` reads the field names themselves. The kind of a file (ledger, customers, contacts) is detected from
its header when exactly one kind's preset fits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dunning.errors import BadInput, Problem
from dunning.ledger.imports.mapping import detect_preset as detect_ledger_preset

KINDS = ("ledger", "customers", "contacts")

CUSTOMER_FIELDS: tuple[str, ...] = (
    "customer_no", "name", "address", "post_code", "city", "country", "language", "currency", "vat_no",
    "terms_code", "blocked",
    "payment_terms",  # e.g. 30D
    "email", "contact",  # the customer's own address: a contact named `contact` (else the customer's name)
)  # fmt: skip
CONTACT_FIELDS: tuple[str, ...] = (
    "customer_no", "name", "email", "phone", "role", "language",
    "mobile",  # the phone when the phone column is empty on the row
    "contact_no",  # the ERP's number of the contact: a second import finds the contact again by it
    "company_no", "company_name",  # the contact's company, when the file does not name the customer
    "business_relation",  # Business Central: Customer, Vendor, ... (contacts of no customer are left out)
    "link_to_table",  # Contact Business Relations: only the links to a customer are kept
)  # fmt: skip
FIELDS = {"customers": CUSTOMER_FIELDS, "contacts": CONTACT_FIELDS}


@dataclass(frozen=True)
class Preset:
    kind: str
    name: str
    label: str
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    markers: tuple[str, ...] = ()  # columns of which one must be in the header for the preset to be detected

    @property
    def links(self) -> bool:
        """A file of links from company contacts to customers, not of contacts."""
        return self.name == "bc_relations"


_BC_CUSTOMER_MARKERS = (
    "Balance (LCY)", "Balance Due (LCY)", "Sales (LCY)", "Payments (LCY)", "Customer Posting Group",
    "Gen. Bus. Posting Group", "Payment Terms Code", "Reminder Terms Code", "Fin. Charge Terms Code",
    "Credit Limit (LCY)", "VAT Registration No.", "Responsibility Center",
)  # fmt: skip

PRESETS: tuple[Preset, ...] = (
    Preset("customers", "bc", "Business Central: Customers", {
        "customer_no": ("No.",), "name": ("Name",), "address": ("Address",), "post_code": ("Post Code",),
        "city": ("City",), "country": ("Country/Region Code",), "language": ("Language Code",),
        "currency": ("Currency Code",), "vat_no": ("VAT Registration No.",), "terms_code": ("Reminder Terms Code",),
        "blocked": ("Blocked",), "payment_terms": ("Payment Terms Code",), "email": ("E-Mail", "Email"),
        "contact": ("Contact",),
    }, required=("customer_no", "name"), markers=_BC_CUSTOMER_MARKERS),  # fmt: skip
    Preset("contacts", "bc", "Business Central: Contacts", {
        "contact_no": ("No.",), "name": ("Name",), "customer_no": ("Customer No.",),
        "company_no": ("Company No.",), "company_name": ("Company Name",),
        "business_relation": ("Business Relation", "Contact Business Relation"), "email": ("E-Mail", "Email"),
        "phone": ("Phone No.",), "mobile": ("Mobile Phone No.",), "language": ("Language Code",),
    }, required=("contact_no", "name"), markers=("Company Name", "Company No.", "Business Relation")),  # fmt: skip
    Preset("contacts", "bc_relations", "Business Central: Contact Business Relations", {
        "contact_no": ("Contact No.",), "name": ("Contact Name",), "link_to_table": ("Link to Table",),
        "customer_no": ("No.",),
    }, required=("contact_no", "customer_no"), markers=("Link to Table",)),  # fmt: skip
    Preset("customers", "native", "Field names as column names", {f: (f,) for f in CUSTOMER_FIELDS},
           required=("customer_no", "name"),
           markers=("address", "post_code", "city", "country", "vat_no", "terms_code", "blocked", "currency")),
    Preset("contacts", "native", "Field names as column names", {f: (f,) for f in CONTACT_FIELDS},
           required=("customer_no", "name"), markers=("email", "role", "phone")),
)  # fmt: skip


def presets(kind: str) -> dict[str, Preset]:
    return {p.name: p for p in PRESETS if p.kind == kind}


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _fits(preset: Preset, keys: set[str]) -> bool:
    if not all(any(_key(c) in keys for c in preset.columns[f]) for f in preset.required):
        return False
    return not preset.markers or any(_key(m) in keys for m in preset.markers)


def detect_preset(kind: str, header: Iterable[str]) -> Preset | None:
    keys = {_key(h) for h in header}
    return next((p for p in presets(kind).values() if _fits(p, keys)), None)


def detect_kind(header: Sequence[str]) -> str | None:
    """'ledger', 'customers' or 'contacts' when exactly one kind's preset fits the header; None otherwise."""
    found = [kind for kind in ("customers", "contacts") if detect_preset(kind, header) is not None]
    if detect_ledger_preset(header) is not None:
        found.append("ledger")
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class PartyMapping:
    """A preset (None: detect it from the header, else native) and explicit `field=Column` pairs."""

    preset: str | None = None
    explicit: tuple[tuple[str, str], ...] = ()
    only_explicit: bool = False  # a form's mapping: only the pairs; the preset says which fields are required

    def preset_for(self, kind: str, header: Sequence[str]) -> Preset:
        if self.preset is not None:
            return presets(kind)[self.preset]
        return detect_preset(kind, header) or presets(kind)["native"]

    def resolve(self, kind: str, header: Sequence[str], file: str) -> Resolved:
        preset = self.preset_for(kind, header)
        by_key = {_key(h): h for h in reversed(header)}
        candidates = {} if self.only_explicit else dict(preset.columns)
        candidates |= {f: (c,) for f, c in self.explicit}
        explicit = dict(self.explicit)
        columns: dict[str, str] = {}
        problems: list[Problem] = [
            Problem(
                file,
                None,
                None,
                (
                    f"the required {kind} field {name} is not mapped to a column; map it to one of: {', '.join(header)}"
                ),
            )  # fmt: skip
            for name in preset.required
            if name not in candidates
        ]
        for name, options in candidates.items():
            hit = next((h for h in (c if c in header else by_key.get(_key(c)) for c in options) if h), None)
            if hit is not None:
                columns[name] = hit
            elif name in explicit or name in preset.required:
                wanted = " or ".join(repr(c) for c in options)
                problems.append(Problem(file, None, options[0], (
                    f"column {wanted} for the {kind} field {name} is not in the file (its columns: "
                    f"{', '.join(header)}); map {name} to one of them"
                )))  # fmt: skip
        return Resolved(preset=preset, columns=columns, problems=tuple(problems))


@dataclass(frozen=True)
class Resolved:
    preset: Preset
    columns: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def build_party_mapping(kind: str, preset: str | None, pairs: Sequence[str]) -> PartyMapping:
    """A mapping from the command line's --mapping and --map FIELD=COLUMN pairs; BadInput when one is wrong."""
    if kind not in FIELDS:
        raise BadInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    known = presets(kind)
    if preset is not None and preset not in known:
        raise BadInput(f"unknown {kind} preset {preset!r}; use one of: {', '.join(known)}")
    explicit: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = (part.strip() for part in pair.partition("="))
        if not sep or not name or not column:
            raise BadInput(f"--map {pair!r} is not FIELD=COLUMN, e.g. --map customer_no=CustomerID")
        if name not in FIELDS[kind]:
            raise BadInput(
                f"--map {pair!r}: {kind} have no field {name!r}; the fields: {', '.join(FIELDS[kind])}"
            )
        if name in explicit:
            raise BadInput(f"--map {pair!r}: field {name} is already mapped to {explicit[name]!r}")
        explicit[name] = column
    return PartyMapping(preset=preset, explicit=tuple(explicit.items()))


def form_columns(kind: str, header: Sequence[str], preset: str | None = None) -> dict[str, str | None]:
    """What a form pre-fills: each field of the kind with the column the (detected) preset finds, else None."""
    resolved = PartyMapping(preset=preset).resolve(kind, header, "")
    return {name: resolved.columns.get(name) for name in FIELDS[kind]}


def mapping_from_columns(
    kind: str, columns: dict[str, str | None], preset: str | None = None
) -> PartyMapping:
    """The mapping a form produced: only the fields given a column; the preset (default: detected from the
    header, else native) says which fields are required and whether the file holds links to customers."""
    unknown = [f for f, c in columns.items() if c and f not in FIELDS[kind]]
    if unknown:
        raise BadInput(f"{kind} have no field {', '.join(unknown)}; the fields: {', '.join(FIELDS[kind])}")
    chosen = tuple((f, c) for f, c in columns.items() if c)
    return PartyMapping(preset=preset, explicit=chosen, only_explicit=True)
