"""The database: the only package that talks to DuckDB (connections, transactions, migrations, queries).

It owns duckdb and nothing else of the project's: it imports only the base modules (dunning.errors, and
dunning.access for the person acting). Every other package reaches
the data through `Database`, which hands out no DuckDB object.
"""

from dunning.db.database import Database, bound, load_sql, resolve_path

__all__ = ["Database", "bound", "load_sql", "resolve_path"]
