DROP INDEX signatures_person;
ALTER TABLE signatures DROP COLUMN person_key;
ALTER TABLE signatures DROP COLUMN event_id;
ALTER TABLE signatures DROP COLUMN channel;
DROP INDEX events_campaign;
DROP TABLE events;
