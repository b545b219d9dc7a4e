DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE login_failures;
DROP TABLE staff_sessions;
DROP TABLE staff;
