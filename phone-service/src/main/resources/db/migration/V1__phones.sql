-- Phones of a workspace's app users. A deactivated phone is kept for audit, out of list and get.
CREATE TABLE phone (
    device_id                  UUID PRIMARY KEY,
    workspace_id               UUID        NOT NULL,
    owner_user_identity_id     UUID        NOT NULL,
    device_type                TEXT        NOT NULL,
    nickname                   TEXT,
    display_name               TEXT        NOT NULL,
    custom_metadata            JSONB       NOT NULL DEFAULT '{}',
    properties                 JSONB       NOT NULL,
    errors                     JSONB       NOT NULL DEFAULT '[]',
    warnings                   JSONB       NOT NULL DEFAULT '[]',
    custom_sdk_installation_id TEXT,
    created_at                 TIMESTAMPTZ NOT NULL,
    deactivated_at             TIMESTAMPTZ
);

-- Keyset pagination over active phones, newest first, per workspace and per owner.
CREATE INDEX phone_active_page ON phone (workspace_id, created_at DESC, device_id DESC)
    WHERE deactivated_at IS NULL;
CREATE INDEX phone_active_owner_page ON phone (workspace_id, owner_user_identity_id, created_at DESC, device_id DESC)
    WHERE deactivated_at IS NULL;

-- Projection of credential events: the phone each credential was issued to
-- (answers /phones/list?acs_credential_id=). Rebuilt by replaying the credential topic.
CREATE TABLE issued_credential (
    acs_credential_id UUID PRIMARY KEY,
    workspace_id      UUID NOT NULL,
    device_id         UUID NOT NULL
);
CREATE INDEX issued_credential_by_phone ON issued_credential (device_id);
