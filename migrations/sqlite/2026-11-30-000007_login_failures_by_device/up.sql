-- Failed sign-ins keep a keyed hash of the email typed instead of the text itself, so a row
-- stays small whatever was typed, and, for a browser with a device cookie, the hash of its
-- device id: that browser has an allowance of its own, and the account's lockout applies to
-- other clients only. The rows matter for fifteen minutes, so the old ones are dropped
-- rather than converted.
DROP TABLE login_failures;

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY NOT NULL,
    account TEXT NOT NULL,
    client TEXT NOT NULL,
    device TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX login_failures_account ON login_failures (account, created_at);
CREATE INDEX login_failures_client ON login_failures (client, created_at);
CREATE INDEX login_failures_device ON login_failures (device, created_at);
CREATE INDEX login_failures_created_at ON login_failures (created_at);
