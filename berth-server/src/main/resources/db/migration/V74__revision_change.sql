-- How a revision came about when it was not an ordinary spec change, e.g.
-- 'resized live: memory 64Mi→96Mi' for a live resize that no instance was restarted for.
ALTER TABLE revisions ADD COLUMN change_note VARCHAR(1000);
