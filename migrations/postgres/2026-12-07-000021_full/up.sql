-- Looking a person up (a paper row, a kiosk entry, a confirmation merging an in-person
-- signature) filters on campaign, person key and confirmation. With only (campaign_id,
-- person_key), SQLite without statistics preferred (campaign_id, confirmed_at) and read
-- every confirmed signature of the campaign: seconds per lookup on a full campaign.
DROP INDEX signatures_person;
CREATE INDEX signatures_person ON signatures (campaign_id, person_key, confirmed_at);
