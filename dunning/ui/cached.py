"""The overview's cached reads: the only st.cache_data loaders, and its cached chart figures.

Each takes the database path, a data version (Database.data_version: changes with every import or edit) and
the filter as arguments, and nothing else: its result depends on those alone. A page takes the version once
per run and passes it on, so every element shows one state of the data. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dunning.aging import as_of, overview
from dunning.aging.as_of import AsOfRange
from dunning.aging.overview import Overview
from dunning.aging.report import AgingFilter, Bucket
from dunning.db import Database
from dunning.ui import charts
from dunning.ui.session import _open  # the app's database handle, opened once per path


def data_version(db: Database) -> str:
    """The cache key of everything the overview reads."""
    return str(db.data_version())


@st.cache_data(show_spinner=False, max_entries=32)
def overview_data(path: str, version: str, as_of: dt.date, flt: AgingFilter) -> Overview:
    return overview.overview(_open(path), as_of, flt)


@st.cache_data(show_spinner=False, max_entries=64)
def bucket_customers(
    path: str, version: str, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None
) -> pd.DataFrame:
    return overview.bucket_customers(_open(path), as_of, flt, bucket, customer_no)


@st.cache_data(show_spinner=False, max_entries=64)
def bucket_invoices(
    path: str, version: str, as_of: dt.date, flt: AgingFilter, bucket: Bucket, customer_no: str | None
) -> pd.DataFrame:
    return overview.bucket_invoices(_open(path), as_of, flt, bucket, customer_no)


@st.cache_data(show_spinner=False, max_entries=4)
def filter_options(path: str, version: str) -> tuple[list[str], list[str]]:
    return overview.filter_options(_open(path))


@st.cache_data(show_spinner=False, max_entries=4)
def as_of_range(path: str, version: str, today: dt.date) -> AsOfRange:
    return as_of.as_of_range(_open(path), today)


@st.cache_resource(show_spinner=False, max_entries=32)
def figures(path: str, version: str, as_of: dt.date, flt: AgingFilter) -> charts.OverviewFigures:
    """The overview's three figures, built once per data version and filter for every session: building
    them (plotly's validation) was half of a warm server's script run for a new visitor. A resource, not
    data: st.plotly_chart only reads a figure, and unpickling one would validate it all over again."""
    return charts.overview_figures(overview_data(path, version, as_of, flt))
