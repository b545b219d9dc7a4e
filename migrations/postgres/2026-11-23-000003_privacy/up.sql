-- Privacy: when a signer's personal data was erased (the row stays, so counts stay right),
-- and when they withdrew their consent to hear more.
ALTER TABLE signatures ADD COLUMN erased_at TIMESTAMP;
ALTER TABLE signatures ADD COLUMN opted_out_at TIMESTAMP;
