-- Facts by analysis and prose by model: a span's note is its facts (written at index time) plus a
-- model's prose. The one definition of a span's state becomes:
--   enriched      facts and validated prose for the current code
--   prose_failed  no current prose, and the model's last answer for this code was refused (facts kept)
--   facts_only    facts for the current code, no prose yet
--   not_indexed   neither yet (e.g. indexed before facts existed)
-- The prompt changed to prose only (prompt version 2): notes of version 1 are stale.
create or replace function codegloss_current_prompt_version() returns integer
    language sql immutable as 'select 2';

-- Where a note's summary came from: the model, or the span's own docstring (a model answer equal to
-- the docstring is not model prose).
alter table enrichments add column summary_source text not null default 'model'
    check (summary_source in ('model', 'docstring'));

drop view span_state;
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
       fa.span_id is not null                       as has_facts,
       coalesce(cur.model_prose, false)             as model_prose,
       -- the planner's question: may a job for this span be enqueued now?
       (cur.span_id is null and live.span_id is null
        and (sf.span_id is null or (not sf.permanent and sf.next_attempt_at <= now())))
                                                    as plannable,
       case
         when cur.span_id is not null then 'enriched'
         when sf.span_id is not null then 'prose_failed'
         when fa.span_id is not null then 'facts_only'
         else 'not_indexed'
       end                                          as state
  from spans s
  join repositories r on r.id = s.repo_id
  -- aggregated sets joined by hash, not a probe per span: the dashboard reads this every few seconds
  left join (
         select e.span_id, e.span_hash, max(e.generation) as generation,
                bool_or(e.summary_source = 'model') as model_prose
           from enrichments e
          where e.prompt_version >= codegloss_current_prompt_version()
          group by e.span_id, e.span_hash) cur
         on cur.span_id = s.id and cur.span_hash = s.content_hash and cur.generation >= r.generation
  left join (
         select distinct js.span_id, js.span_hash
           from job_spans js join jobs j on j.id = js.job_id
          where codegloss_job_is_live(j.status)) live
         on live.span_id = s.id and live.span_hash = s.content_hash
  left join span_failures sf on sf.span_id = s.id and sf.span_hash = s.content_hash
  left join span_facts fa on fa.span_id = s.id and fa.span_hash = s.content_hash;
