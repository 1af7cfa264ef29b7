-- Sending (issue 10): a reminder's life after the draft, exactly once.
--
-- status: draft | approved -> sending -> sent | failed | unknown; sent -> cancelled.
--   sending  claimed by one batch (send_token, by process send_pid on host send_host since send_started_at);
--            handed to the transport once `transport` is set, which is recorded before the message leaves
--   failed   not delivered (an address refused before the batch, a server's 5xx, a 4xx after the retries);
--            send_error says why; it may be sent again, and a new proposal replaces it like a draft
--   unknown  its sender died after handing it to the transport and before recording the answer: it may or
--            may not have been delivered, so it is never resent silently; a person decides (resolve_unknown)
-- The proposal treats 'unknown' like 'approved' and 'sending' (pending: its entries are not proposed again).
alter table reminder_headers add column send_token varchar;        -- the batch that claimed it
alter table reminder_headers add column send_started_at timestamp; -- when that batch claimed it (UTC)
alter table reminder_headers add column send_pid integer;          -- the claiming process
alter table reminder_headers add column send_host varchar;         -- ... and its host (pids are per host)
alter table reminder_headers add column claimed_from varchar;      -- the status it was claimed from
alter table reminder_headers add column transport varchar;         -- where it was handed: "outbox /path", "SMTP ..."
alter table reminder_headers add column send_error varchar;        -- why it failed, the server's text
alter table reminder_headers add column attempts integer default 0; -- times handed to a transport
