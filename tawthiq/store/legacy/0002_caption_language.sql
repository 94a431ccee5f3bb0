-- The language of each caption, detected on the caption itself (an Arabic report may carry an English caption).
ALTER TABLE captions ADD COLUMN language TEXT NOT NULL DEFAULT '';
