-- Calls to the model a worker has in flight at its heartbeat: its current jobs include the jobs
-- ahead (CODEGLOSS_WORKER_AHEAD) that prepare or wait for a call, so they cannot say how busy
-- its model is; calls out of --concurrency can.
alter table workers add column current_calls integer not null default 0;
