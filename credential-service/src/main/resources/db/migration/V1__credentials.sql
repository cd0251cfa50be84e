-- Projections of other contexts' events: what credential-service must know to validate requests
-- and to run the phone flows. Each is kept by its own consumer group.

-- ACS systems, from device-gateway's acs_system events.
CREATE TABLE acs_system (
    acs_system_id         UUID PRIMARY KEY,
    workspace_id          UUID    NOT NULL,
    connected_account_id  UUID    NOT NULL,
    external_type         TEXT    NOT NULL,
    name                  TEXT    NOT NULL,
    is_credential_manager BOOLEAN NOT NULL
);

-- User identities, from identity-service's events: an ACS user's user_identity_* fields.
CREATE TABLE user_identity (
    user_identity_id UUID PRIMARY KEY,
    workspace_id     UUID NOT NULL,
    email_address    TEXT,
    phone_number     TEXT,
    full_name        TEXT,
    deleted_at       TIMESTAMPTZ
);

-- Phones, from phone-service's events: an identity's active phones get its multi-phone-sync
-- credentials. A deactivated phone stays, so a redelivered registration cannot revive it.
CREATE TABLE phone (
    device_id              UUID PRIMARY KEY,
    workspace_id           UUID        NOT NULL,
    owner_user_identity_id UUID        NOT NULL,
    registered_at          TIMESTAMPTZ NOT NULL,
    deactivated_at         TIMESTAMPTZ
);
CREATE INDEX phone_active_by_owner ON phone (owner_user_identity_id) WHERE deactivated_at IS NULL;

-- ACS users: owned here. user_identity_id follows identity-service's link events.
CREATE TABLE acs_user (
    acs_user_id                UUID PRIMARY KEY,
    workspace_id               UUID        NOT NULL,
    acs_system_id              UUID        NOT NULL,
    connected_account_id       UUID        NOT NULL,
    user_identity_id           UUID,
    full_name                  TEXT        NOT NULL,
    email_address              TEXT,
    phone_number               TEXT,
    access_schedule_starts_at  TIMESTAMPTZ,
    access_schedule_ends_at    TIMESTAMPTZ,
    is_suspended               BOOLEAN     NOT NULL DEFAULT false,
    created_at                 TIMESTAMPTZ NOT NULL,
    deleted_at                 TIMESTAMPTZ
);
CREATE INDEX acs_user_page ON acs_user (workspace_id, created_at DESC, acs_user_id DESC) WHERE deleted_at IS NULL;
CREATE INDEX acs_user_by_identity ON acs_user (user_identity_id) WHERE deleted_at IS NULL;
-- Seam: an identity has at most one ACS user per ACS system.
CREATE UNIQUE INDEX acs_user_one_per_identity_and_system ON acs_user (user_identity_id, acs_system_id)
    WHERE deleted_at IS NULL AND user_identity_id IS NOT NULL;

-- ACS credentials: owned here. A deleted (revoked) credential is kept, out of get and list.
-- device_id is the phone a mobile key was issued to; parent_acs_credential_id the
-- multi-phone-sync credential it was issued from.
CREATE TABLE acs_credential (
    acs_credential_id              UUID PRIMARY KEY,
    workspace_id                   UUID        NOT NULL,
    acs_system_id                  UUID        NOT NULL,
    connected_account_id           UUID        NOT NULL,
    acs_user_id                    UUID,
    user_identity_id               UUID,
    access_method                  TEXT        NOT NULL,
    code                           TEXT,
    starts_at                      TIMESTAMPTZ,
    ends_at                        TIMESTAMPTZ,
    is_multi_phone_sync_credential BOOLEAN     NOT NULL,
    parent_acs_credential_id       UUID,
    device_id                      UUID,
    allowed_acs_entrance_ids       UUID[]      NOT NULL DEFAULT '{}',
    vendor_metadata                JSONB       NOT NULL DEFAULT '{}',
    issued_at                      TIMESTAMPTZ,
    created_at                     TIMESTAMPTZ NOT NULL,
    deleted_at                     TIMESTAMPTZ
);
CREATE INDEX acs_credential_page ON acs_credential (workspace_id, created_at DESC, acs_credential_id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX acs_credential_by_user ON acs_credential (acs_user_id) WHERE deleted_at IS NULL;
CREATE INDEX acs_credential_by_identity ON acs_credential (user_identity_id) WHERE deleted_at IS NULL;
CREATE INDEX acs_credential_by_phone ON acs_credential (device_id) WHERE deleted_at IS NULL;
-- One child per parent and phone, ever: a redelivered or replayed registration issues nothing twice.
CREATE UNIQUE INDEX acs_credential_one_child_per_phone ON acs_credential (parent_acs_credential_id, device_id)
    WHERE parent_acs_credential_id IS NOT NULL;
