-- Canonical email addresses now fold international domains to their ASCII form (IDNA),
-- fullwidth letters (NFKC) and invisible characters. Rows stored under the old rules are
-- recomputed in Rust, which knows the rules, once: while this row exists, the next start
-- (or any command) runs db::signatures::recanonicalise_emails and then deletes it.
CREATE TABLE email_recanonicalisation_due (
    id INTEGER PRIMARY KEY
);
INSERT INTO email_recanonicalisation_due (id) VALUES (1);
