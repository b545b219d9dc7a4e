DROP INDEX signatures_campaign_id;
