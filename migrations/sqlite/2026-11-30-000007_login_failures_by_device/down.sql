DROP TABLE login_failures;

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX login_failures_email ON login_failures (email, created_at);
CREATE INDEX login_failures_client ON login_failures (client, created_at);
