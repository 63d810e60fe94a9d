-- Facts by analysis: what the indexer reads from each span's code without a model (parameters,
-- returns, raises, docstring, calls, side-effect candidates), and the call edges between spans.

-- One row per span; goes with its span. span_hash is the span's content_hash when the facts were
-- read, analyzer_version the FactsAnalyzer version: either differing means the facts are stale.
create table span_facts (
    span_id          bigint  primary key references spans (id) on delete cascade,
    span_hash        text    not null,
    analyzer_version integer not null,
    facts            jsonb   not null
);

-- A file's imports, as the call resolver reads them: [{"module", "name", "alias"}, ...].
create table file_imports (
    file_id bigint primary key references files (id) on delete cascade,
    imports jsonb  not null
);

-- Every call a span makes, as written, and the span it resolves to. to_span_id is null while
-- unresolved or when it cannot be told without guessing; deleting the callee unlinks its callers.
create table span_calls (
    from_span_id  bigint  not null references spans (id) on delete cascade,
    ordinal       integer not null,           -- position among the span's calls, source order
    -- no foreign key: the row goes with its span, and a full index writes hundreds of thousands
    -- of calls, each of which would pay the check
    repo_id       bigint  not null,
    line          integer not null,
    callee_name   text    not null,
    receiver      text,
    receiver_type text,
    to_span_id    bigint  references spans (id) on delete set null,
    primary key (from_span_id, ordinal)
);

-- called-by
create index span_calls_to on span_calls (to_span_id) where to_span_id is not null;
-- re-resolution after a run: calls whose callee name was added, removed or renamed
create index span_calls_name on span_calls (repo_id, callee_name);

-- Files whose calls were written but not resolved yet. A file goes in with its calls (same
-- transaction) and out when the run's resolution commits, so a run cut short in between leaves
-- the next run something to resolve. A queue rather than a flag per call: a full index resolves
-- hundreds of thousands of calls, and only those that get a target need rewriting.
create table call_resolution_queue (
    file_id bigint primary key references files (id) on delete cascade,
    repo_id bigint not null references repositories (id) on delete cascade
);
create index call_resolution_queue_repo on call_resolution_queue (repo_id);
