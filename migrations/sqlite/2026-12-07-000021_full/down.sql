DROP INDEX signatures_person;
CREATE INDEX signatures_person ON signatures (campaign_id, person_key);
