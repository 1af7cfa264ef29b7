"""Documents: what a customer reads. Sandboxed Jinja2 templating (templating.py, the only jinja2 user),
locale formatting of money and dates with Babel (formatting.py, the only babel user), PDF through WeasyPrint
with a fetcher that serves only the shipped templates folder (pdf.py, the only weasyprint user), the
statement of account (statement.py, words.py), CSV/XLSX exports with formula cells neutralised
(export.py), the company a document speaks for, with its bank account per currency (company.py), and the
payment data a letter carries: ISO 11649 creditor references, IBAN and BIC checks, the EPC QR payload and
its QR code (payment.py, the only python-stdnum and segno user).

The templates themselves are the top-level templates/ folder, shipped in the wheel as dunning.templates.
It may import dunning.reminders, dunning.aging, dunning.ledger, dunning.db and the base modules (errors,
money); dunning.mail (when it comes) is its sibling and neither imports the other.
"""
