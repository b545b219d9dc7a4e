DROP TABLE partner_links;
DROP TABLE partner_consents;
