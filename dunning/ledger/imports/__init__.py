"""Imports of ERP exports into the ledger: file readers (readers.py: CSV, XLSX, Parquet), the column
mapping and presets such as Business Central's (mapping.py) or the columns recognised from their names
(names.py), the parsing of dates and amounts (parsing.py), problems grouped for people (problems.py),
row checks that collect every problem at once (rows.py) and the all-or-nothing upsert (importer.py, with its
SQL in sql/). Part of dunning.ledger: it may import dunning.db and the base modules.
"""
