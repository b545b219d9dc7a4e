DROP TABLE kiosk_uploads;
DROP TABLE kiosks;
