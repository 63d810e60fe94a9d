-- The one definition of a span's state. Every reader (status, plan, up, stats, the dashboard, the
-- bench) selects from this view instead of spelling the rule out again; when the meaning of
-- "enriched" changes, a later migration replaces the view (create or replace) and nothing else.

-- The oldest prompt version whose enrichments still count as current. A prompt change that makes
-- older notes stale replaces this function in a new migration.
create function codegloss_current_prompt_version() returns integer
    language sql immutable as 'select 1';

-- Job statuses that hold a span: while one of its jobs is in them, it is not planned again.
create function codegloss_job_is_live(status text) returns boolean
    language sql immutable as $$ select status in ('enqueued', 'processing') $$;

create view span_state as
select s.id                                         as span_id,
       s.repo_id,
       s.file_id,
       s.language,
       s.kind,
       s.content_hash,
       cur.span_id is not null                      as enriched,
       live.span_id is not null                     as queued,
       (cur.span_id is null and sf.span_id is not null) as failed,
       coalesce(cur.span_id is null and sf.permanent, false) as failure_permanent,
       case when cur.span_id is null and not sf.permanent then sf.next_attempt_at end as retry_at,
       -- the planner's question: may a job for this span be enqueued now?
       (cur.span_id is null and live.span_id is null
        and (sf.span_id is null or (not sf.permanent and sf.next_attempt_at <= now())))
                                                    as plannable,
       case
         when cur.span_id is not null then 'enriched'
         when sf.span_id is not null then 'failed'
         else 'pending'
       end                                          as state
  from spans s
  join repositories r on r.id = s.repo_id
  -- aggregated sets joined by hash, not a probe per span: the dashboard reads this every few seconds
  left join (
         select e.span_id, e.span_hash, max(e.generation) as generation
           from enrichments e
          where e.prompt_version >= codegloss_current_prompt_version()
          group by e.span_id, e.span_hash) cur
         on cur.span_id = s.id and cur.span_hash = s.content_hash and cur.generation >= r.generation
  left join (
         select distinct js.span_id, js.span_hash
           from job_spans js join jobs j on j.id = js.job_id
          where codegloss_job_is_live(j.status)) live
         on live.span_id = s.id and live.span_hash = s.content_hash
  left join span_failures sf on sf.span_id = s.id and sf.span_hash = s.content_hash;
