-- How many secrets (API keys, tokens, passwords, private keys, credentials in URLs) SecretRedactor
-- cut out of each call's prompt, for `stats` and the dashboard. Calls recorded before this
-- migration count 0: their prompts were redacted too, the number was just not kept.
alter table llm_calls add column secrets_redacted integer not null default 0;
