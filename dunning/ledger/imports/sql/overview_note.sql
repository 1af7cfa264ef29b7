-- The entries an import batch wrote: how many are open on $day, and the last day any of them was open (open on
-- a day D when posted on or before D and not closed by D: the day before it was closed, or $day if still open).
select
    count(*) filter (where posting_date <= $day and (closed_at is null or closed_at > $day)
                     and (closed_at is not null or remaining_amount <> 0)) as open_on_day,
    max(case when closed_at is null then (case when remaining_amount <> 0 then $day end)
             when closed_at > posting_date then closed_at - interval 1 day end)::date as last_open
from ledger_entries
where import_batch_id = $batch
