-- A worker's note changes one layer of a span's search row: its prose. V6 refreshed all four layers
-- at the commit of every note (identifier splitting by regular expressions, the facts' jsonpath
-- queries) and re-planned that statement each time (a SQL function's body is planned per call):
-- the biggest single cost of the worker's store transaction. Same rule, same rows, cheaper work:
--   * statements on enrichments mark their spans "prose only" in span_search_dirty;
--   * at commit, spans marked by any other writer (spans, span_facts) get the full refresh as
--     before; spans marked only by enrichments get their prose layer recomputed, by a PL/pgSQL
--     function whose plan each connection keeps;
--   * the prose layer is computed by ONE function, codegloss_span_search_prose, used by both.
-- What is searchable does not change (span_search rows are identical), so nothing is re-run here.

alter table span_search_dirty add column prose_only boolean not null default false;

-- The model's prose for the current code of each span (as in span_state: current prompt version,
-- summaries that are the span's own docstring left out), weighted D. Spans without prose get an
-- empty vector. Stable and a single SELECT: inlined into the statements that use it.
create function codegloss_span_search_prose(ids bigint[])
    returns table (span_id bigint, prose tsvector)
    language sql stable as $$
  select s.id,
         setweight(to_tsvector('english', coalesce(pr.text, '')), 'D')
    from spans s
    left join lateral (
           select string_agg(codegloss_prose_text(e.summary, e.payload), ' ') as text
             from enrichments e
            where e.span_id = s.id and e.span_hash = s.content_hash
              and e.summary_source = 'model'
              and e.prompt_version >= codegloss_current_prompt_version()) pr on true
   where s.id = any(ids)
$$;

create or replace function codegloss_span_search_refresh(ids bigint[]) returns void
    language sql volatile as $$
  insert into span_search (span_id, names, doc, facts, prose, identifiers)
  select s.id,
         setweight(to_tsvector('simple', codegloss_identifier_text(
             s.symbol || ' ' || s.name || ' ' || coalesce(s.signature, '') || ' ' || f.path)), 'A'),
         setweight(to_tsvector('english', coalesce(fa.facts ->> 'docstring', s.doc_hint, '')), 'B'),
         setweight(to_tsvector('simple', codegloss_identifier_text(codegloss_facts_text(fa.facts))),
                   'C'),
         pr.prose,
         lower(s.symbol)
    from spans s
    join files f on f.id = s.file_id
    left join span_facts fa on fa.span_id = s.id and fa.span_hash = s.content_hash
    join codegloss_span_search_prose(ids) pr on pr.span_id = s.id
   where s.id = any(ids)
   order by s.id
  on conflict (span_id) do update
     set names = excluded.names, doc = excluded.doc, facts = excluded.facts,
         prose = excluded.prose, identifiers = excluded.identifiers
$$;

-- Recomputes only the prose layer of the given spans' rows; returns the spans that had no row yet
-- (the caller gives those the full refresh). Rows are locked in span id order first, the order in
-- which the full refresh writes them, so that an indexer and a worker never wait for each other in
-- a cycle.
create function codegloss_span_search_refresh_prose(ids bigint[]) returns bigint[]
    language plpgsql volatile as $$
declare
  done bigint[];
begin
  perform 1 from span_search where span_id = any(ids) order by span_id for update;
  with updated as (
    update span_search ss
       set prose = p.prose
      from (select * from codegloss_span_search_prose(ids) order by span_id) p
     where ss.span_id = p.span_id
    returning ss.span_id)
  select coalesce(array_agg(u.span_id), '{}') into done from updated u;
  return array(select unnest(ids) except select unnest(done));
end
$$;

create function codegloss_span_search_mark_prose(ids bigint[]) returns void
    language sql volatile as $$
  insert into span_search_dirty (xact_id, span_id, prose_only)
  select txid_current(), unnest(ids), true;
  insert into span_search_pending (xact_id) values (txid_current()) on conflict do nothing;
$$;

create function codegloss_span_search_from_enrichments() returns trigger
    language plpgsql as $$
begin
  perform codegloss_span_search_mark_prose(array(select distinct span_id from changed));
  return null;
end
$$;

create or replace function codegloss_span_search_flush() returns trigger
    language plpgsql as $$
declare
  everything bigint[];
  prose bigint[];
begin
  everything := array(select distinct span_id from span_search_dirty
                       where xact_id = new.xact_id and not prose_only);
  prose := array(select distinct d.span_id from span_search_dirty d
                  where d.xact_id = new.xact_id and d.prose_only
                    and not d.span_id = any(everything));
  if cardinality(prose) > 0 then
    everything := everything || codegloss_span_search_refresh_prose(prose);
  end if;
  if cardinality(everything) > 0 then
    perform codegloss_span_search_refresh(everything);
  end if;
  delete from span_search_dirty where xact_id = new.xact_id;
  delete from span_search_pending where xact_id = new.xact_id;
  return null;
end
$$;

drop trigger span_search_enrichments_insert on enrichments;
drop trigger span_search_enrichments_update on enrichments;
drop trigger span_search_enrichments_delete on enrichments;
create trigger span_search_enrichments_insert after insert on enrichments
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_enrichments();
create trigger span_search_enrichments_update after update on enrichments
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_enrichments();
create trigger span_search_enrichments_delete after delete on enrichments
    referencing old table as changed for each statement
    execute function codegloss_span_search_from_enrichments();
