"""The ledger: customers, their contacts and roles, open and closed entries, the contact log and
agreements (contacts.py), one customer's view (customer.py, payment_behaviour.py), and the imports that fill
it from ERP exports (imports/). Its SQL lives in sql/.

It may import dunning.db, dunning.errors and dunning.money only: aging, reminders and everything above read
the ledger, never the reverse.
"""
