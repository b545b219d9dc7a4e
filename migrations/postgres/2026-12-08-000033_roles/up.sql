-- Who may do what: a role per staff account and per API token. Accounts made before roles
-- could do everything, so they stay owners; tokens could export signatures, so they stay
-- campaigners.
ALTER TABLE staff ADD COLUMN role TEXT NOT NULL DEFAULT 'owner';
ALTER TABLE api_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'campaigner';

-- The campaigns a campaigner or a data-entry account is limited to; none is every
-- campaign for a campaigner (data entry always names some).
CREATE TABLE staff_campaigns (
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, campaign_id)
);
