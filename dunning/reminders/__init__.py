"""Reminders: the reminder terms and their levels (terms.py), the statutory reference rates (rates.py), the
late-payment law's figures with their sources (law.py) and how the engine applies them (interest.py), the
texts it writes for the user (reasons.py), and the proposal engine that decides who gets a reminder at which
level with which fee and interest (proposal.py, with its SQL steps in sql/, mapped in its docstring).

It may import dunning.ledger, dunning.db and the base modules; dunning.aging is its sibling and neither
imports the other. Sending (dunning.dispatch) and documents sit above it and read what it decided.
"""
