-- Lines sent before migration 006 recorded no interest period: the proposal would charge their days again
-- from the due date. The engine of that time charged each interest-bearing line from the day after its due
-- date to its reminder's document date, so that is the period recorded here (both days included).
update reminder_lines
set interest_from = reminder_lines.due_date + 1, interest_to = h.document_date
from reminder_headers h
where h.reminder_id = reminder_lines.reminder_id
  and h.status = 'sent' and reminder_lines.kind = 'overdue'
  and reminder_lines.interest > 0 and reminder_lines.interest_from is null;
