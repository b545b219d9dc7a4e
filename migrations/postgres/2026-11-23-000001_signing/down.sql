DROP TABLE outbox;
DROP TABLE confirmation_tokens;
DROP TABLE signatures;
DROP TABLE campaign_texts;
DROP TABLE campaigns;
