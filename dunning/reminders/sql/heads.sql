-- Step 4 of a proposal, p_heads: the groups that get a draft (p_groups without a skip reason), each with a new
-- reminder id from reminder_id_seq, taken before their lines are written.
create or replace temp table p_heads as
select nextval('reminder_id_seq') as reminder_id, g.*
from p_groups g
where g.skip_reason is null
