-- Partner organisations: their source code attributes signatures they bring. An API token
-- can be scoped to one source, so a partner's token exports only the partner's signatures.
CREATE TABLE partners (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    website TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE api_tokens ADD COLUMN source TEXT;
