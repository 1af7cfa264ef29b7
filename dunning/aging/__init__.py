"""Aging: how much is open and how late, as of any date.

Owns the aging report (report.py: open entries by days past due, in configurable buckets, credits beside
them), the bucket definitions (buckets.py) and the overview's figures (overview.py: KPIs such as DSO by the
countback method and the share over 90 days, the lists behind a tile, the charts' data). Its SQL lives in
sql/. It may import dunning.ledger, dunning.db, dunning.errors and dunning.money; nothing above it.
"""
