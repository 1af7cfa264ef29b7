"""Reminders: the reminder terms and their levels (terms.py), the statutory reference rates (rates.py),
interest rules and the proposal engine that decides who gets a reminder at which level with which fee and
interest (proposal.py, with its SQL steps in sql/).

It may import dunning.ledger, dunning.db and the base modules; dunning.aging is its sibling and neither
imports the other. Sending (dunning.dispatch) and documents sit above it and read what it decided.
"""
