-- Search: one row per span with its searchable text as separate weighted layers, so that a caller
-- (the retrieval benchmark) can choose layers and leave the docstring out:
--   names  (A)  symbol, name, signature and file path, identifiers split at camelCase/snake_case
--   doc    (B)  the span's own docstring (facts) or doc hint
--   facts  (C)  parameters and their types, return type, raised exceptions, calls, side effects
--   prose  (D)  what a model wrote for the current code (summary, pitfalls, meanings); a summary
--               that is the span's own docstring is not model prose and stays out
-- plus the lower-cased symbol for trigram matching of partial identifiers.
--
-- Kept current by ONE rule, the triggers below: every statement that writes spans, span_facts or
-- enrichments marks the spans it touched, whoever the writer is (indexer, worker, a future tool,
-- a test), and their rows are refreshed once when its transaction commits. A method every writer
-- must remember to call would be forgotten by the next writer; statement-level triggers with
-- transition tables and one refresh at commit handle a whole indexed file or job set-based.

-- pg_trgm ships with the embedded PostgreSQL (zonky) binaries and is a trusted extension (PG 13+),
-- so a database owner without superuser rights can create it too.
create extension if not exists pg_trgm;

-- "parseHTTPResponse_v2" -> "parse HTTP Response v2": word boundaries at camelCase, acronyms,
-- snake_case, dots, slashes and other punctuation.
create function codegloss_split_identifiers(t text) returns text
    language sql immutable parallel safe as $$
  select regexp_replace(
           regexp_replace(
             regexp_replace(coalesce(t, ''), '([a-z0-9])([A-Z])', '\1 \2', 'g'),
             '([A-Z]+)([A-Z][a-z])', '\1 \2', 'g'),
           '[^[:alnum:]]+', ' ', 'g')
$$;

-- Identifier text: the words as written (dotted names and all) plus their split parts, so that
-- "JSONDecoder", "json decoder" and "decoder" all match.
create function codegloss_identifier_text(t text) returns text
    language sql immutable parallel safe as $$
  select coalesce(t, '') || ' ' || codegloss_split_identifiers(t)
$$;

-- The identifiers the facts name: parameters and their types, the return type, raised exceptions,
-- calls and their receivers, side-effect kinds and details. Not the docstring (its own layer).
create function codegloss_facts_text(f jsonb) returns text
    language sql immutable parallel safe as $$
  select coalesce(string_agg(v #>> '{}', ' '), '')
    from unnest(array['lax $.params[*].name', 'lax $.params[*].type', 'lax $.returnType',
                      'lax $.raises[*].name', 'lax $.calls[*].name', 'lax $.calls[*].receiver',
                      'lax $.sideEffects[*].kind', 'lax $.sideEffects[*].detail']::jsonpath[]) p,
         jsonb_path_query(coalesce(f, '{}'::jsonb), p) v
   where jsonb_typeof(v) = 'string'
$$;

-- Every string of a model's note but the parts analysis writes (usage, evidence, related spans).
create function codegloss_prose_text(summary text, payload jsonb) returns text
    language sql immutable parallel safe as $$
  select coalesce(summary, '') || ' ' || coalesce(string_agg(v #>> '{}', ' '), '')
    from jsonb_path_query(coalesce(payload, '{}'::jsonb)
                            - 'summary_120w' - 'usage_snippet' - 'evidence' - 'related_spans',
                          'strict $.**') v
   where jsonb_typeof(v) = 'string'
$$;

-- Deleting a span sets its children's parent_id to null (on delete set null). Without an index
-- every deleted span scanned the whole spans table for its children, and each of those updates now
-- also fires the search triggers: a re-index that drops a large directory (140,000 spans of
-- site-packages) ran for over 13 minutes before it was cancelled.
create index if not exists spans_parent on spans (parent_id) where parent_id is not null;

create table span_search (
    span_id     bigint   primary key references spans (id) on delete cascade,
    names       tsvector not null,
    doc         tsvector not null,
    facts       tsvector not null,
    prose       tsvector not null,
    document    tsvector generated always as (names || doc || facts || prose) stored,
    identifiers text     not null             -- lower-cased symbol, for pg_trgm
);
create index span_search_document on span_search using gin (document);
create index span_search_identifiers on span_search using gin (identifiers gin_trgm_ops);

-- Recomputes the search rows of the given spans from spans, files, span_facts and enrichments.
-- Facts and prose count only for the span's current code (their hash is its content hash) and,
-- for prose, the current prompt version, as in span_state. Rows are written in span id order so
-- that an indexer and a worker refreshing overlapping spans at once lock them in the same order.
create function codegloss_span_search_refresh(ids bigint[]) returns void
    language sql volatile as $$
  insert into span_search (span_id, names, doc, facts, prose, identifiers)
  select s.id,
         setweight(to_tsvector('simple', codegloss_identifier_text(
             s.symbol || ' ' || s.name || ' ' || coalesce(s.signature, '') || ' ' || f.path)), 'A'),
         setweight(to_tsvector('english', coalesce(fa.facts ->> 'docstring', s.doc_hint, '')), 'B'),
         setweight(to_tsvector('simple', codegloss_identifier_text(codegloss_facts_text(fa.facts))),
                   'C'),
         setweight(to_tsvector('english', coalesce(pr.text, '')), 'D'),
         lower(s.symbol)
    from spans s
    join files f on f.id = s.file_id
    left join span_facts fa on fa.span_id = s.id and fa.span_hash = s.content_hash
    left join lateral (
           select string_agg(codegloss_prose_text(e.summary, e.payload), ' ') as text
             from enrichments e
            where e.span_id = s.id and e.span_hash = s.content_hash
              and e.summary_source = 'model'
              and e.prompt_version >= codegloss_current_prompt_version()) pr on true
   where s.id = any(ids)
   order by s.id
  on conflict (span_id) do update
     set names = excluded.names, doc = excluded.doc, facts = excluded.facts,
         prose = excluded.prose, identifiers = excluded.identifiers
$$;

-- The rule runs in two steps so that each span's row is computed once per transaction, at commit,
-- however many statements touched the span. An indexer writes a file's spans one statement per row
-- (a JDBC batch) and then its facts: refreshing per statement computed every row twice and paid
-- the refresh query and both GIN index updates per span (+80 % indexing time on the stdlib).
--   1. statement triggers on spans, span_facts and enrichments only note the touched span ids in
--      span_search_dirty, tagged with the writing transaction, and mark that transaction pending;
--   2. a deferred constraint trigger on the pending mark fires once per transaction at commit and
--      refreshes the distinct dirty spans in one set-based statement, then clears both.
-- A reader in another transaction sees the new rows when it sees the commit; a search right after
-- a writer's commit is current. Unlogged: the rows live only inside the writing transaction.
create unlogged table span_search_dirty (
    xact_id bigint not null,
    span_id bigint not null
);
create index span_search_dirty_xact on span_search_dirty (xact_id);

create unlogged table span_search_pending (
    xact_id bigint primary key
);

create function codegloss_span_search_mark(ids bigint[]) returns void
    language sql volatile as $$
  insert into span_search_dirty (xact_id, span_id) select txid_current(), unnest(ids);
  insert into span_search_pending (xact_id) values (txid_current()) on conflict do nothing;
$$;

create function codegloss_span_search_from_spans() returns trigger
    language plpgsql as $$
begin
  perform codegloss_span_search_mark(array(select id from changed));
  return null;
end
$$;

create function codegloss_span_search_from_children() returns trigger
    language plpgsql as $$
begin
  perform codegloss_span_search_mark(array(select distinct span_id from changed));
  return null;
end
$$;

create function codegloss_span_search_flush() returns trigger
    language plpgsql as $$
begin
  perform codegloss_span_search_refresh(array(
      select distinct span_id from span_search_dirty where xact_id = new.xact_id));
  delete from span_search_dirty where xact_id = new.xact_id;
  delete from span_search_pending where xact_id = new.xact_id;
  return null;
end
$$;

-- PostgreSQL allows one event per trigger with transition tables, hence one trigger per event.
create trigger span_search_spans_insert after insert on spans
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_spans();
create trigger span_search_spans_update after update on spans
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_spans();

create trigger span_search_facts_insert after insert on span_facts
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_children();
create trigger span_search_facts_update after update on span_facts
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_children();
create trigger span_search_facts_delete after delete on span_facts
    referencing old table as changed for each statement
    execute function codegloss_span_search_from_children();

create trigger span_search_enrichments_insert after insert on enrichments
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_children();
create trigger span_search_enrichments_update after update on enrichments
    referencing new table as changed for each statement
    execute function codegloss_span_search_from_children();
create trigger span_search_enrichments_delete after delete on enrichments
    referencing old table as changed for each statement
    execute function codegloss_span_search_from_children();

create constraint trigger span_search_flush_at_commit after insert on span_search_pending
    deferrable initially deferred
    for each row execute function codegloss_span_search_flush();

-- A query as OR of its words (identifier parts included), so that a sentence finds the spans that
-- share most of its words. Built lexeme by lexeme with plainto_tsquery, so no text is ever parsed
-- as tsquery syntax: quotes, operators and unicode are words or nothing, never an error. Words are
-- taken twice: as written, lower-cased (for identifiers, English stop words left out) and stemmed
-- (for docstrings and prose). At most 64 of each keep a 10 kB query cheap. Null when the text has
-- no words: null matches nothing.
create aggregate codegloss_tsquery_or_agg(tsquery) (sfunc = tsquery_or, stype = tsquery);

create function codegloss_search_tsquery(q text) returns tsquery
    language sql immutable parallel safe as $$
  select codegloss_tsquery_or_agg(plainto_tsquery('simple', lex))
    from (select lex
            from unnest(tsvector_to_array(to_tsvector('simple', codegloss_identifier_text(q)))) lex
           where to_tsvector('english', lex) <> ''::tsvector
           limit 64) words
    full join (select lex
                 from unnest(tsvector_to_array(to_tsvector('english', q))) lex
                limit 64) stems using (lex)
$$;

-- The strict form: every word of the query (as written or stemmed), stop words aside. Spans that
-- match it are ranked first; the OR form above only fills the rest. It is also the cheap form: a
-- sentence of common words OR-ed matches a good part of a large index, all of them at once rarely.
create aggregate codegloss_tsquery_and_agg(tsquery) (sfunc = tsquery_and, stype = tsquery);

create function codegloss_search_tsquery_all(q text) returns tsquery
    language sql immutable parallel safe as $$
  select codegloss_tsquery_and_agg(plainto_tsquery('simple', lex) || plainto_tsquery('english', lex))
    from (select lex
            from unnest(tsvector_to_array(to_tsvector('simple', codegloss_identifier_text(q)))) lex
           where to_tsvector('english', lex) <> ''::tsvector
           limit 64) words
$$;

select codegloss_span_search_refresh(array(select id from spans));
