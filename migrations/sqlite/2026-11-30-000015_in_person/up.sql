-- An event where people sign in person: a table at a festival, a talk, a march. Paper
-- sheets typed in afterwards and kiosk tablets both belong to one.
CREATE TABLE events (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    name TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    held_on DATE,
    -- The source code the event's signatures carry, so counts by source show it.
    source TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX events_campaign ON events (campaign_id);

-- Where a signature was given: 'online', 'paper' or 'kiosk'. In-person signatures count
-- without a confirmation email, because a volunteer was there.
ALTER TABLE signatures ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';
ALTER TABLE signatures ADD COLUMN event_id BIGINT REFERENCES events (id);

-- The signer's folded full name, postal code and country: how a paper signature without an
-- email is recognised as someone who already signed. Signatures without an email keep
-- 'person:' and this key as their canonical email, so the unique key covers them too.
ALTER TABLE signatures ADD COLUMN person_key TEXT;
CREATE INDEX signatures_person ON signatures (campaign_id, person_key);
