-- The organisation that runs this installation, as supporters, partners and targets see it:
-- one row (id 1), and its words in each language. Empty text means "not set".
CREATE TABLE organisation (
    id BIGINT PRIMARY KEY NOT NULL,
    sender_name TEXT NOT NULL DEFAULT '',
    reply_to TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    data_controller TEXT NOT NULL DEFAULT '',
    privacy_url TEXT NOT NULL DEFAULT '',
    brand_colour TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE organisation_texts (
    id INTEGER PRIMARY KEY NOT NULL,
    lang TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    privacy_notice TEXT NOT NULL
);

-- What the petition asks of its target, in the target's terms, apart from the summary
-- written for supporters: the delivery letter carries it.
ALTER TABLE campaign_texts ADD COLUMN demand TEXT NOT NULL DEFAULT '';
