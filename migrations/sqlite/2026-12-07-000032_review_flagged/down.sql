DROP INDEX signatures_flagged;
