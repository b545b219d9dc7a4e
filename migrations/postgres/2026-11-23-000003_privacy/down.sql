ALTER TABLE signatures DROP COLUMN opted_out_at;
ALTER TABLE signatures DROP COLUMN erased_at;
