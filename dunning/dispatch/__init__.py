"""Dispatch: approve, send, cancel: the reminder's life after the draft.

- claims.py: who is sending which reminder (claim, hand-over, record, recovery after a sender died, a
  person's decision on a reminder of unknown fate);
- send.py: send_reminders(), a batch through a transport, each reminder exactly once, one result each;
- letters.py: the batch's letters, drawn while it composes and sends;
- history.py: what was issued, and the archived email and letter of each.

It joins the documents (what a reminder says) to the mail (how it leaves) and records the outcome through
dunning.reminders.issued. It may import dunning.documents, dunning.mail, dunning.reminders, dunning.ledger,
dunning.db and the base modules; only the faces (cli, ui) import it. Nothing is
re-exported here, so that reading the history does not load the PDF renderer.
"""
