-- The fingerprint of the prompt whose answer failed validation. Every backend decodes greedily
-- (temperature 0, fixed seed), so the same prompt would get the same invalid answer again: a worker
-- that meets the same fingerprint records the failure as final instead of paying for the call.
-- Null when the failure was not an invalid answer (timeouts, overflow, lost jobs).
alter table span_failures add column prompt_sha text;

-- What the last complete migration brought the database to: codegloss's schema version and JobRunr's
-- version. A process whose build has the same stamp skips Flyway and JobRunr's table check at start.
create table schema_stamp (
    id         boolean     primary key default true check (id),
    stamp      text        not null,
    updated_at timestamptz not null default now()
);

-- A worker reads a model's last few answered batch calls before each batch (BatchPause); without
-- this index that read walks the whole call history for a model that has made no batch call yet.
create index llm_calls_answered_batches on llm_calls (backend, model, id desc)
    where mode = 'batch' and outcome <> 'error';
