-- Review of drafts before sending (issue 10, dunning/reminders/review.py): what a person changed on a draft,
-- and what the proposal had proposed, so that every change can be taken back to the cent.
--
-- included           false: the draft stays a draft but is not sent with the others
-- fee_waived         the fee (fixed, percentage and per-line) is set to 0; proposed_fee keeps the header's
--                    proposed fee and reminder_lines.proposed_fee each line's, to restore them
-- recipients_edited  To/Cc were set by hand: a change of level keeps them instead of the level's roles
-- reminder_lines.interest_waived (migration 002) marks a line whose interest and compensation are waived;
--                    proposed_interest and proposed_compensation keep what the proposal computed. A waived line
--                    charges nothing, so the issued history records no interest period for it (issued.py) and
--                    its days and compensation can be charged by a later reminder.
-- Null proposed_* values: nothing was waived yet, the current value is the proposed one.
alter table reminder_headers add column included boolean not null default true;
alter table reminder_headers add column fee_waived boolean not null default false;
alter table reminder_headers add column proposed_fee decimal(18, 2);
alter table reminder_headers add column recipients_edited boolean not null default false;
alter table reminder_lines add column proposed_fee decimal(18, 2);
alter table reminder_lines add column proposed_interest decimal(18, 2);
alter table reminder_lines add column proposed_compensation decimal(18, 2);
