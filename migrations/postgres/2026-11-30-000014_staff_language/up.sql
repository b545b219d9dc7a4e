-- The language a member of staff reads the staff pages in (es, en, fr or pt). Empty until
-- they choose one (or `mariposa admin create --lang` sets it): their pages then follow the
-- browser's language, as the sign-in page does.
ALTER TABLE staff ADD COLUMN lang TEXT;
