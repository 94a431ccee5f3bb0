-- The JSON API (tawthiq.web.api): per-user bearer tokens.
-- Only the SHA-256 of a token is stored (tokens are 256 random bits, so a plain hash is enough; a copy of the
-- database does not let anyone in). A token is never deleted: revoking stamps revoked_at and keeps the history of
-- who had access and when it was last used.
CREATE TABLE api_tokens (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id),
    name             TEXT NOT NULL DEFAULT '',       -- what the token is for ("newsroom dashboard")
    token_hash       TEXT NOT NULL UNIQUE,           -- sha256 hex of the token
    prefix           TEXT NOT NULL,                  -- the token's first characters, to recognise it in a list
    rate_per_minute  INTEGER,                        -- requests a minute; NULL: the server's default
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    last_used_at     TEXT,
    revoked_at       TEXT,
    revoked_by       TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
