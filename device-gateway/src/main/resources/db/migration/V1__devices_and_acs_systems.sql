-- A workspace's account at a provider; its devices and ACS systems are reached through it.
-- provider names the adapter that speaks to it (e.g. sandbox).
CREATE TABLE connected_account (
    connected_account_id      UUID PRIMARY KEY,
    workspace_id              UUID        NOT NULL,
    provider                  TEXT        NOT NULL,
    account_type              TEXT        NOT NULL,
    account_type_display_name TEXT        NOT NULL,
    display_name              TEXT        NOT NULL,
    image_url                 TEXT,
    accepted_capabilities     JSONB       NOT NULL DEFAULT '[]',
    automatically_manage_new_devices BOOLEAN NOT NULL,
    custom_metadata           JSONB       NOT NULL DEFAULT '{}',
    errors                    JSONB       NOT NULL DEFAULT '[]',
    warnings                  JSONB       NOT NULL DEFAULT '[]',
    created_at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX connected_account_by_workspace ON connected_account (workspace_id);

-- Devices. `device` is Seam's whole device object, as the API serves it and the state topic
-- carries it (DeviceState); the columns beside it are what lookups and the list's order need.
-- A removed device is kept for audit, out of every read.
CREATE TABLE device (
    device_id            UUID PRIMARY KEY,
    workspace_id         UUID        NOT NULL,
    connected_account_id UUID        NOT NULL REFERENCES connected_account,
    device_type          TEXT        NOT NULL,
    display_name         TEXT        NOT NULL,
    is_managed           BOOLEAN     NOT NULL,
    device               JSONB       NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    removed_at           TIMESTAMPTZ
);

-- Keyset pagination over a workspace's managed devices, newest first.
CREATE INDEX device_managed_page ON device (workspace_id, created_at DESC, device_id DESC)
    WHERE removed_at IS NULL AND is_managed;
CREATE INDEX device_by_name ON device (workspace_id, display_name) WHERE removed_at IS NULL AND is_managed;

-- Access control systems (Seam's acs_system).
CREATE TABLE acs_system (
    acs_system_id              UUID PRIMARY KEY,
    workspace_id               UUID        NOT NULL,
    connected_account_id       UUID        NOT NULL REFERENCES connected_account,
    name                       TEXT        NOT NULL,
    external_type              TEXT        NOT NULL,
    external_type_display_name TEXT        NOT NULL,
    is_credential_manager      BOOLEAN     NOT NULL,
    image_url                  TEXT        NOT NULL,
    image_alt_text             TEXT        NOT NULL,
    time_zone                  TEXT,
    errors                     JSONB       NOT NULL DEFAULT '[]',
    warnings                   JSONB       NOT NULL DEFAULT '[]',
    created_at                 TIMESTAMPTZ NOT NULL
);
CREATE INDEX acs_system_by_workspace ON acs_system (workspace_id, created_at DESC);

-- The sandbox provider's own records. Which workspaces it has provisioned (once each); claimed
-- before the account is inserted in the same transaction, hence the deferred check.
CREATE TABLE sandbox_workspace (
    workspace_id         UUID PRIMARY KEY,
    connected_account_id UUID        NOT NULL REFERENCES connected_account DEFERRABLE INITIALLY DEFERRED,
    provisioned_at       TIMESTAMPTZ NOT NULL
);

-- What each sandbox ACS holds: the credentials programmed on it, and how often it was asked to
-- program or remove each one (a second request for the same credential changes nothing else).
CREATE TABLE sandbox_acs_credential (
    acs_credential_id UUID PRIMARY KEY,
    acs_system_id     UUID        NOT NULL REFERENCES acs_system,
    workspace_id      UUID        NOT NULL,
    access_method     TEXT        NOT NULL,
    acs_user_id       UUID,
    device_id         UUID,
    user_identity_id  UUID,
    programmed_at     TIMESTAMPTZ NOT NULL,
    removed_at        TIMESTAMPTZ,
    times_programmed  INTEGER     NOT NULL,
    times_removed     INTEGER     NOT NULL DEFAULT 0
);
CREATE INDEX sandbox_acs_credential_by_system ON sandbox_acs_credential (acs_system_id, programmed_at);
