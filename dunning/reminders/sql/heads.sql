-- The drafts' headers get new reminder ids (before their lines are written).
create or replace temp table p_heads as
select nextval('reminder_id_seq') as reminder_id, g.*
from p_groups g
where g.skip_reason is null
