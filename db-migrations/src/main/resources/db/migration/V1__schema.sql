-- codegloss schema, version 1. Shipped migrations are never edited: add V2__... instead.

-- A repository registered by `index` or `enqueue`. Several live in one database.
create table repositories (
    id              bigserial primary key,
    root_path       text        not null unique,
    name            text        not null,
    -- bumped by `enqueue --full`: enrichments older than the generation are pending again
    generation      integer     not null default 1,
    created_at      timestamptz not null default now(),
    last_indexed_at timestamptz
);

create table files (
    id           bigserial primary key,
    repo_id      bigint      not null references repositories (id) on delete cascade,
    path         text        not null,          -- relative to the root, '/' separated
    language     text        not null,
    size_bytes   bigint      not null,
    mtime_ms     bigint      not null,
    content_hash text        not null,          -- sha-256 of the bytes
    line_count   integer     not null,
    parse_errors boolean     not null default false,
    indexed_at   timestamptz not null default now(),
    unique (repo_id, path)
);
create index files_content_hash on files (repo_id, content_hash);

-- Files the walker saw and deliberately left out, with the reason (binary, too_large, secret, non_utf8, unreadable...).
create table skipped_files (
    repo_id    bigint      not null references repositories (id) on delete cascade,
    path       text        not null,
    reason     text        not null,
    detail     text,
    seen_at    timestamptz not null default now(),
    primary key (repo_id, path)
);

create table spans (
    id           bigserial primary key,
    repo_id      bigint      not null references repositories (id) on delete cascade,
    file_id      bigint      not null references files (id) on delete cascade,
    language     text        not null,
    kind         text        not null check (kind in ('function', 'method', 'class')),
    node_type    text        not null,          -- tree-sitter node type: function_definition, struct_item...
    name         text        not null,          -- set_email
    symbol       text        not null,          -- User.set_email
    parent_id    bigint      references spans (id) on delete set null,
    start_line   integer     not null,          -- 1-based, inclusive
    end_line     integer     not null,
    start_byte   integer     not null,          -- UTF-8 byte offsets into the file
    end_byte     integer     not null,
    signature    text,
    doc_hint     text,
    code         text        not null,
    content_hash text        not null,          -- sha-256 over language + bytes of the span
    token_estimate integer   not null,          -- tokens of the code, estimated without a model
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index spans_file on spans (file_id, start_line);
create index spans_repo_symbol on spans (repo_id, symbol);
create index spans_repo_name on spans (repo_id, name);

-- One validated enrichment per span, model and prompt version. Current only while span_hash = spans.content_hash.
create table enrichments (
    span_id        bigint      not null references spans (id) on delete cascade,
    model          text        not null,
    prompt_version integer     not null,
    span_hash      text        not null,
    schema_version integer     not null,
    generation     integer     not null,
    backend        text        not null,
    mode           text        not null check (mode in ('single', 'batch')),
    summary        text        not null,
    payload        jsonb       not null,        -- the validated enrichment as stored JSON
    dropped_related integer    not null default 0,
    notes          text,                        -- e.g. "code truncated to fit 2048 tokens"
    worker         text        not null,
    job_id         uuid,
    created_at     timestamptz not null default now(),
    primary key (span_id, model, prompt_version)
);

-- related_spans that resolved to a span of the repository.
create table span_links (
    from_span_id bigint not null references spans (id) on delete cascade,
    to_span_id   bigint not null references spans (id) on delete cascade,
    model        text   not null,
    primary key (from_span_id, to_span_id, model)
);
create index span_links_to on span_links (to_span_id);

-- Our view of every JobRunr job we enqueued: its id is the JobRunr job id (deterministic).
create table jobs (
    id           uuid        primary key,
    repo_id      bigint      not null references repositories (id) on delete cascade,
    file_id      bigint      references files (id) on delete set null,
    kind         text        not null check (kind in ('batch', 'single')),
    tokens       integer     not null,          -- prompt + output cap, estimated at planning time
    span_tokens  integer     not null,          -- tokens of the spans' code alone
    reason       text,                          -- why the planner closed this batch
    parent_id    uuid,                          -- the batch this single-span job was split from
    status       text        not null default 'enqueued'
                 check (status in ('enqueued', 'processing', 'succeeded', 'partial', 'split', 'failed')),
    attempts     integer     not null default 0,
    last_error   text,
    worker       text,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);
create index jobs_status on jobs (status, tokens);
create index jobs_repo on jobs (repo_id);

create table job_spans (
    job_id    uuid    not null references jobs (id) on delete cascade,
    span_id   bigint  not null references spans (id) on delete cascade,
    span_hash text    not null,
    ordinal   integer not null,                 -- the span_index in the prompt, 1..N
    primary key (job_id, span_id)
);
create index job_spans_span on job_spans (span_id);

-- A span that failed; persists attempts and backoff so that it never blocks the others.
create table span_failures (
    span_id         bigint      primary key references spans (id) on delete cascade,
    span_hash       text        not null,
    attempts        integer     not null default 0,
    last_error      text        not null,
    next_attempt_at timestamptz not null,
    permanent       boolean     not null default false,
    updated_at      timestamptz not null default now()
);

-- Every LLM call, successful or not.
create table llm_calls (
    id                bigserial primary key,
    job_id            uuid,
    worker            text        not null,
    backend           text        not null,
    model             text        not null,
    mode              text        not null check (mode in ('single', 'batch')),
    span_count        integer     not null,
    items_valid       integer     not null default 0,
    prompt_tokens     integer,
    completion_tokens integer,
    wall_ms           bigint      not null,
    outcome           text        not null check (outcome in ('ok', 'partial', 'invalid', 'error')),
    first_try         boolean     not null default true,
    error             text,
    created_at        timestamptz not null default now()
);
create index llm_calls_created on llm_calls (created_at);
create index llm_calls_job on llm_calls (job_id);

-- Worker processes register themselves and heartbeat.
create table workers (
    name           text        primary key,
    host           text        not null,
    max_tokens     integer     not null,
    concurrency    integer     not null,
    backend        text        not null,
    model          text        not null,
    version        text        not null,
    state          text        not null default 'running' check (state in ('running', 'draining', 'stopped')),
    current_jobs   integer     not null default 0,
    started_at     timestamptz not null default now(),
    last_heartbeat timestamptz not null default now()
);
