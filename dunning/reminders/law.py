"""The figures the law fixes for statutory late-payment claims, each defined here once, with its source.

Nothing else states them: the proposal's SQL receives them as bound parameters (dunning.reminders.interest
turns them into the units the SQL counts in), the reference rate table is checked against REFERENCE_DAYS, and
the tests' reference oracle (tests/interest_oracle.py) reads them from here.

Three schemes are implemented:
- "eu": the minimum that Directive 2011/7/EU requires of the member states: simple interest at the reference
  rate (the ECB's main refinancing rate for the euro) + 8 points, the rate fixed per half-year, and a fixed sum
  of 40 EUR. It is no member state's own law: national law may ask for more (the Netherlands add the interest
  to the debt each year, art. 6:119a BW, which is not implemented).
- "de": German law between businesses: the base rate (Basiszinssatz, § 247 BGB, set by the Deutsche Bundesbank
  on 1 January and 1 July) + 9 points (§ 288(2) BGB), each half-year at its own base rate, and a fixed sum of
  40 EUR (§ 288(5) BGB).
- "uk": the Late Payment of Commercial Debts (Interest) Act 1998 as amended.

Each is charged once: a later reminder charges interest only for the days after the last day an issued
reminder charged, and the fixed sum only when no issued reminder claimed it for the invoice.
"""

from __future__ import annotations

from decimal import Decimal

# Directive 2011/7/EU, art. 2(6): statutory interest for late payment is simple interest at the reference rate
# plus at least eight percentage points (the minimum is what is claimed). UK: the Late Payment of Commercial
# Debts (Rate of Interest) (No. 3) Order 2002 (SI 2002/1675): 8 % a year over the official dealing rate of the
# Bank of England.
STATUTORY_POINTS = Decimal("8")

# § 288(2) BGB: between businesses (no consumer party) the default interest rate is nine percentage points
# above the base rate (§ 247 BGB).
DE_STATUTORY_POINTS = Decimal("9")

# The reference rate is fixed for a half-year. Directive 2011/7/EU, art. 3(2) (art. 4(2) for public
# authorities): the rate in force on 1 January for the first half of the year, on 1 July for the second.
# UK (SI 2002/1675): the rate in force on 31 December / 30 June immediately before the day interest starts to
# run, kept for the whole debt; the rate table's row valid from the next 1 January / 1 July is taken for it.
RATE_PERIOD_MONTHS = 6
REFERENCE_DAYS = tuple((month, 1) for month in range(1, 13, RATE_PERIOD_MONTHS))  # (month, day): 1 Jan, 1 Jul

# Day count basis: neither the Directive nor the Act fixes one. Interest for a day is the annual rate / 365, in
# leap years too, as the UK government's guidance on claiming late payment interest computes it. A documented
# choice rather than a figure of the law; contractual interest uses the same basis.
DAYS_PER_YEAR = 365

# The currency each scheme states its fixed sums in.
SCHEME_CURRENCY = {"eu": "EUR", "de": "EUR", "uk": "GBP"}

# Directive 2011/7/EU, art. 6(1): a fixed sum of (at least) EUR 40 as compensation for recovery costs, due
# without a reminder; claimed per late-paid invoice.
EU_COMPENSATION = Decimal("40.00")

# § 288(5) BGB: a lump sum of EUR 40 (Pauschale) from a debtor who is not a consumer; claimed per invoice.
DE_COMPENSATION = Decimal("40.00")

# Late Payment of Commercial Debts (Interest) Act 1998, s. 5A(2) (inserted by the Late Payment of Commercial
# Debts Regulations 2002, SI 2002/1674): a fixed sum of £40 for a debt less than £1,000; £70 for a debt of
# £1,000 or more but less than £10,000; £100 for a debt of £10,000 or more. The band follows the debt when it
# fell overdue (the invoice's amount), not what remains after a later part payment.
UK_COMPENSATION_BANDS = (  # (debt below, fixed sum), lowest band first
    (Decimal("1000.00"), Decimal("40.00")),
    (Decimal("10000.00"), Decimal("70.00")),
)
UK_COMPENSATION_TOP = Decimal("100.00")  # a debt of 10,000 GBP or more
