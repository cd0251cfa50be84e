CREATE TABLE workspace (
    workspace_id                    UUID PRIMARY KEY,
    name                            TEXT        NOT NULL,
    company_name                    TEXT        NOT NULL,
    is_sandbox                      BOOLEAN     NOT NULL,
    is_suspended                    BOOLEAN     NOT NULL DEFAULT false,
    is_publishable_key_auth_enabled BOOLEAN     NOT NULL DEFAULT false,
    connect_webview_customization   JSONB       NOT NULL DEFAULT '{}',
    created_at                      TIMESTAMPTZ NOT NULL
);

-- Only the key's SHA-256 is kept; the key itself is shown once, when it is created.
CREATE TABLE api_key (
    api_key_id   UUID PRIMARY KEY,
    workspace_id UUID        NOT NULL REFERENCES workspace (workspace_id),
    key_hash     TEXT        NOT NULL UNIQUE,
    name         TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_key_by_workspace ON api_key (workspace_id);
