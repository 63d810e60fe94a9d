-- How busy a worker kept its model between two heartbeats: the share of its call slots
-- (--concurrency) in use over that time, in percent. current_calls is one instant and jumps
-- between 0 and the concurrency on a fast model; this is the average an operator sizes by.
-- Null until a worker of this version beats.
alter table workers add column calls_busy_pct integer;
