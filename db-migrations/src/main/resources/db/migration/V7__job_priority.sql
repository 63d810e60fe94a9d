-- Priorities (issue 13): a span edited while its repository is being re-enriched must not wait
-- behind thousands of bulk jobs. JobRunr OSS has no queues or priorities, so our own row carries
-- the priority and the capacity-aware fetch orders by it (CapacityStorageProvider):
--   interactive  a job for code that changed after the repository's first job was written
--   bulk         a first enrichment or a whole re-enrichment (enqueue --full)
alter table jobs add column priority text not null default 'bulk'
    check (priority in ('interactive', 'bulk'));

-- The fetch probes our row of each enqueued JobRunr job by id and reads its size and priority;
-- the repository's first job decides what counts as changed since.
create index jobs_repo_created on jobs (repo_id, created_at);
