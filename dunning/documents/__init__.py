"""Documents: what a customer reads, rendered exactly as it goes out.

- templating.py: sandboxed Jinja2 (the only jinja2 user), fixed words through the "documents" gettext
  catalogs (translations.py loads them with Babel), money, dates and percentages per locale (formatting.py);
- pdf.py: HTML to PDF through WeasyPrint with a fetcher that serves only the shipped templates folder (the
  only weasyprint user); xhtml.py reads the documents the templates write with the XML parser, where that
  builds the HTML5 parser's tree; drawing.py draws batches over the cores;
- statement.py: the statement of account; export.py: CSV/XLSX exports with formula cells neutralised;
- company.py: the company a document speaks for, with its bank account per currency;
- payment.py: ISO 11649 creditor references, IBAN and BIC checks, the EPC QR payload and code, the Swiss
  QR-bill (the only python-stdnum, segno and qrbill user);
- the reminder: reminder.py reads it, texts.py keeps its level's texts per language in versions, letter.py
  composes subject, bodies and letter, message.py builds the RFC 5322 email, render.py writes a batch.

The templates themselves are the top-level templates/ folder, shipped in the wheel as dunning.templates.
It may import dunning.reminders, dunning.aging, dunning.ledger, dunning.db and the base modules (errors,
money); dunning.mail (when it comes) is its sibling and neither imports the other.
"""
