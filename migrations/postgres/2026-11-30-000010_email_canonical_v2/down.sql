-- Canonical addresses already recomputed stay as they are: the old rules could not tell
-- which spelling each one came from.
DROP TABLE email_recanonicalisation_due;
