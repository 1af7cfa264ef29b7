"""dunning: receivables aging and payment reminders, as a core library under a Streamlit app and a command line.

The packages, highest layer first (a layer imports only those below it; pyproject.toml's [tool.importlinter]
contract holds this, and the test suite runs it):

    ui | cli            the faces: Streamlit helpers shared by pages/ | the `dunning` command line
    sample              deterministic sample data
    documents           templates, formatting, PDF, statements, exports
    reminders | aging   terms, rates, the proposal engine | aging report, buckets, overview figures
    ledger              customers, contacts, agreements, entries; imports/ of ERP exports
    db                  the only DuckDB user: units of work, transactions, migrations
    errors | money      the base everything may use
"""
