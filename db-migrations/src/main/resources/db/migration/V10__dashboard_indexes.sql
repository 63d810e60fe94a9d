-- The dashboard's lists of recent failures read the newest 50 rows; without these they sort every
-- failed span and every failed job on each snapshot (24 ms at 4,000 failed spans on a busy machine,
-- growing with the failures).
create index span_failures_recent on span_failures (updated_at desc, span_id);
create index jobs_failed_recent on jobs (updated_at desc, id) where status = 'failed';
