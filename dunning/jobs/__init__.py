"""Scheduled runs: `dunning run` from cron or a systemd timer, safe to repeat.

- run.py: one run: import (optional), propose, and send what the terms allow without review, only on
  business days inside the company's sending window; every step logged;
- schedule.py: the company's time zone and sending window, and the per-terms and per-customer "send
  automatically" switches (migration 015);
- business_days.py: business days and public holidays per country (the one owner of the `holidays` package);
- lock.py: the lock that keeps two runs from overlapping;
- log.py: the runs log (job_runs, job_run_reminders) written by a run and read by the Runs page.

A face-level package below the faces: it may import dunning.sample, dunning.dispatch, dunning.documents,
dunning.mail, dunning.reminders, dunning.ledger, dunning.db and the base modules; the command line and the
app's pages import it, no core package does.
"""
