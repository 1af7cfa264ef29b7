"""The sample's customers and their contacts: names, addresses and phone numbers by region and language.

Deterministic for a given random generator; dunning.sample.ledger loads the frames into the database.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_CUSTOMERS = 60

# (language, country, currency, weight): where the customers are.
REGIONS = (
    ("en", "GB", "GBP", 10),
    ("en", "IE", "EUR", 4),
    ("en", "US", "USD", 6),
    ("fr", "FR", "EUR", 10),
    ("fr", "BE", "EUR", 4),
    ("nl", "NL", "EUR", 10),
    ("nl", "BE", "EUR", 4),
    ("de", "DE", "EUR", 7),
    ("de", "AT", "EUR", 3),
    ("de", "CH", "CHF", 2),
)
STEMS = {
    "en": (
        "Harbour Freight",
        "Northgate Supplies",
        "Kingsway Retail",
        "Blackwood Engineering",
        "Riverside Foods",
        "Summit Outdoor",
        "Bridgewater Pharma",
        "Oakfield Builders",
        "Crescent Textiles",
        "Redhill Motors",
        "Ashford Paper",
        "Lakeside Marine",
        "Pennine Aggregates",
        "Westbrook Dairy",
        "Granite Row Hotels",
        "Copperfield Tools",
        "Meadowlane Garden",
        "Thameside Print",
        "Ironbridge Steel",
        "Fairway Medical",
    ),
    "fr": (
        "Transports Lefèvre",
        "Maison Dubois",
        "Comptoir Garnier",
        "Ateliers Moreau",
        "Boulangeries Roux",
        "Société Girard",
        "Chais Fontaine",
        "Métallerie Lambert",
        "Pharmacie Bonnet",
        "Éditions Chevalier",
        "Fromageries Perrin",
        "Verrerie Mercier",
        "Cartonnages Blanc",
        "Menuiserie Faure",
        "Optique Rousseau",
    ),
    "nl": (
        "Van Dijk Logistiek",
        "De Vries Bouw",
        "Bakkerij Jansen",
        "Visser Techniek",
        "Smit Transport",
        "Meijer Groothandel",
        "Bos Installaties",
        "Mulder Kantoor",
        "Dekker Food",
        "Hendriks Metaal",
        "Kuipers Bloemen",
        "Vermeulen Drukwerk",
        "Postma Zuivel",
        "Willems Tegels",
        "Koster Scheepvaart",
    ),
    "de": (
        "Müller Spedition",
        "Schmidt Maschinenbau",
        "Weber Handel",
        "Fischer Elektro",
        "Becker Logistik",
        "Hoffmann Bau",
        "Schäfer Feinkost",
        "Koch Verpackung",
        "Wagner Metall",
        "Zimmermann Holz",
        "Richter Optik",
        "Neumann Textil",
        "Schwarz Brauerei",
        "Krause Kunststoff",
        "Lange Druck",
    ),
}
SUFFIX = {
    "GB": "Ltd",
    "IE": "Ltd",
    "US": "Inc.",
    "FR": "SARL",
    "BE": "SA",
    "NL": "B.V.",
    "DE": "GmbH",
    "AT": "GmbH",
    "CH": "AG",
}
BELGIAN_NL_SUFFIX = "BV"
PAYMENT_TERMS = (14, 30, 30, 30, 45, 60)
ROLES = ("accounts_payable", "finance_manager", "sales_owner")
FIRST = {
    "en": ("Emma", "James", "Olivia", "Harry", "Sophie", "Jack"),
    "fr": ("Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules"),
    "nl": ("Sanne", "Daan", "Lotte", "Bram", "Femke", "Joris"),
    "de": ("Anna", "Lukas", "Marie", "Felix", "Lena", "Jonas"),
}
LAST = {
    "en": ("Taylor", "Brown", "Wilson", "Evans", "Walker", "Hughes"),
    "fr": ("Martin", "Bernard", "Petit", "Durand", "Leroy", "Morel"),
    "nl": ("de Jong", "Bakker", "Peters", "van Leeuwen", "Kok", "Brouwer"),
    "de": ("Schneider", "Meyer", "Wolf", "Braun", "Krüger", "Hartmann"),
}
STREETS = {"en": "Harbour Road", "fr": "rue de la Gare", "nl": "Stationsstraat", "de": "Bahnhofstraße"}
CITIES = {
    "GB": "Leeds",
    "IE": "Cork",
    "US": "Columbus",
    "FR": "Lyon",
    "BE": "Gent",
    "NL": "Utrecht",
    "DE": "Köln",
    "AT": "Linz",
    "CH": "Basel",
}
CALLING_CODES = {"GB": 44, "IE": 353, "US": 1, "FR": 33, "BE": 32, "NL": 31, "DE": 49, "AT": 43, "CH": 41}


def make_customers(rng: np.random.Generator, n: int) -> pd.DataFrame:
    weights = np.array([r[3] for r in REGIONS], dtype=float)
    # the first customers walk through the regions in proportion, so even 60 customers cover all of them
    region = np.resize(np.repeat(np.arange(len(REGIONS)), weights.astype(int)), n)
    rng.shuffle(region)
    idx = np.arange(n)
    lang = np.array([REGIONS[r][0] for r in region])
    country = np.array([REGIONS[r][1] for r in region])
    currency = np.array([REGIONS[r][2] for r in region])
    # the k-th customer of a language takes the k-th name stem of that language; a numeral once they run out
    k = pd.Series(lang).groupby(lang).cumcount().to_numpy()
    names = []
    for i in range(n):
        suffix = BELGIAN_NL_SUFFIX if (country[i] == "BE" and lang[i] == "nl") else SUFFIX[country[i]]
        stems = STEMS[lang[i]]
        numeral = f" {k[i] // len(stems) + 1}" if k[i] >= len(stems) else ""
        names.append(f"{stems[k[i] % len(stems)]}{numeral} {suffix}")
    # payment behaviour: mean days paid late; a few customers pay very late
    lateness = rng.gamma(shape=1.2, scale=6.0, size=n)
    lateness[rng.random(n) < 0.12] += 35
    return pd.DataFrame(
        {
            "idx": idx,
            "customer_no": [f"C{i + 10001:06d}" for i in idx],
            "name": names,
            "language": lang,
            "country": country,
            "currency": currency,
            "terms_days": rng.choice(PAYMENT_TERMS, size=n),
            "lateness": lateness,
            "size": rng.lognormal(mean=0.0, sigma=0.8, size=n),
            "street_no": rng.integers(1, 180, size=n),
            "street": pd.Series(lang).map(STREETS).to_numpy(),
            "city": pd.Series(country).map(CITIES).to_numpy(),
        }
    )


def make_contacts(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    n = len(customers)
    has_fm = rng.random(n) < 0.85
    has_ap = np.ones(n, dtype=bool)
    has_ap[7::29] = False  # a few customers without an accounts-payable contact: the fallback role applies
    for i, c in enumerate(customers.itertuples(index=False)):
        domain = _slug(c.name) + ".example"
        lang = c.language
        for r, role in enumerate(ROLES):
            if (role == "accounts_payable" and not has_ap[i]) or (
                role == "finance_manager" and not has_fm[i]
            ):
                continue
            first = FIRST[lang][(i + r * 2) % 6]
            last = LAST[lang][(i * 3 + r) % 6]
            local = {
                "accounts_payable": "ap",
                "finance_manager": _slug(first) + "." + _slug(last),
                "sales_owner": _slug(first),
            }[role]
            email = f"{local}@{domain}" if role != "sales_owner" else f"{local}.sales@northwind.example"
            phone = f"+{CALLING_CODES[c.country]} {(i * 7919 + r * 104729) % 90000000 + 10000000}"
            rows.append((c.customer_no, f"{first} {last}", email, role, phone))
    return pd.DataFrame(rows, columns=["customer_no", "name", "email", "role", "phone"])


def _slug(text: str) -> str:
    table = str.maketrans("àâäçéèêëîïôöùûüÉß", "aaaceeeeiioouuuEs")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())
