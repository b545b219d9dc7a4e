-- Staff can pause signing on a campaign in an emergency (an attack, a mistake in the text)
-- without closing it: while `paused_at` is set, supporters see `paused_message`, or a
-- standard note in their language when it is empty.
ALTER TABLE campaigns ADD COLUMN paused_at TIMESTAMP;
ALTER TABLE campaigns ADD COLUMN paused_message TEXT NOT NULL DEFAULT '';
