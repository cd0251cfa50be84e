-- User identities: an app's user accounts. Key, email address and phone number are each unique
-- within a workspace (email addresses case-insensitively); a duplicate is a Seam error, not a 500.
CREATE TABLE user_identity (
    user_identity_id  UUID PRIMARY KEY,
    workspace_id      UUID        NOT NULL,
    user_identity_key TEXT,
    email_address     TEXT,
    phone_number      TEXT,
    full_name         TEXT,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX user_identity_key_unique ON user_identity (workspace_id, user_identity_key)
    WHERE user_identity_key IS NOT NULL;
CREATE UNIQUE INDEX user_identity_email_unique ON user_identity (workspace_id, lower(email_address))
    WHERE email_address IS NOT NULL;
CREATE UNIQUE INDEX user_identity_phone_unique ON user_identity (workspace_id, phone_number)
    WHERE phone_number IS NOT NULL;
-- Keyset pagination, newest first.
CREATE INDEX user_identity_page ON user_identity (workspace_id, created_at DESC, user_identity_id DESC);

-- Which ACS user belongs to which identity (owned here). An ACS user belongs to at most one
-- identity, and an identity has at most one ACS user per ACS system. A removed link keeps its
-- row (removed_at set) so that replaying acs_user.created never links it again.
CREATE TABLE acs_user_link (
    acs_user_id      UUID PRIMARY KEY,
    workspace_id     UUID        NOT NULL,
    user_identity_id UUID        NOT NULL,
    acs_system_id    UUID        NOT NULL,
    linked_at        TIMESTAMPTZ NOT NULL,
    removed_at       TIMESTAMPTZ
);
CREATE UNIQUE INDEX acs_user_link_one_per_system ON acs_user_link (user_identity_id, acs_system_id)
    WHERE removed_at IS NULL;
CREATE INDEX acs_user_link_by_identity ON acs_user_link (user_identity_id) WHERE removed_at IS NULL;
CREATE INDEX acs_user_link_by_system ON acs_user_link (acs_system_id) WHERE removed_at IS NULL;

-- Devices an identity was granted access to (owned here).
CREATE TABLE device_grant (
    user_identity_id UUID        NOT NULL,
    device_id        UUID        NOT NULL,
    workspace_id     UUID        NOT NULL,
    granted_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_identity_id, device_id)
);
CREATE INDEX device_grant_page ON device_grant (user_identity_id, granted_at, device_id);

-- Instant keys issued for identities (owned here).
CREATE TABLE instant_key (
    instant_key_id    UUID PRIMARY KEY,
    workspace_id      UUID        NOT NULL,
    user_identity_id  UUID        NOT NULL,
    client_session_id UUID        NOT NULL,
    instant_key_url   TEXT        NOT NULL,
    max_use_count     INTEGER     NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX instant_key_by_identity ON instant_key (user_identity_id);

-- Projections of other contexts' events, each rebuilt by replaying its consumer group
-- (ProjectionReplay): truncated, their processed_event rows deleted, the group reset.

-- ACS users (lockstep.acs_user.events): answers list_acs_users, and what add_acs_user may link.
CREATE TABLE acs_user (
    acs_user_id          UUID PRIMARY KEY,
    workspace_id         UUID        NOT NULL,
    acs_system_id        UUID        NOT NULL,
    connected_account_id UUID        NOT NULL,
    user_identity_id     UUID,
    display_name         TEXT        NOT NULL,
    full_name            TEXT,
    email_address        TEXT,
    phone_number         TEXT,
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX acs_user_by_system ON acs_user (workspace_id, acs_system_id);

-- ACS systems (lockstep.acs_system.events): Seam's acs_system object, for list_acs_systems and
-- for checking create's acs_system_ids.
CREATE TABLE acs_system (
    acs_system_id UUID PRIMARY KEY,
    workspace_id  UUID  NOT NULL,
    acs_system    JSONB NOT NULL
);

-- Devices (lockstep.device.state, compacted): Seam's full device object, for
-- list_accessible_devices and for refusing grants to unknown devices.
CREATE TABLE device (
    device_id    UUID PRIMARY KEY,
    workspace_id UUID  NOT NULL,
    device       JSONB NOT NULL
);

-- Credentials (lockstep.acs_credential.events): a delete precondition.
CREATE TABLE credential (
    acs_credential_id UUID PRIMARY KEY,
    workspace_id      UUID NOT NULL,
    user_identity_id  UUID,
    acs_user_id       UUID
);
CREATE INDEX credential_by_identity ON credential (user_identity_id);
CREATE INDEX credential_by_acs_user ON credential (acs_user_id);

-- Enrollment automations (lockstep.enrollment_automation.events): a delete precondition.
CREATE TABLE enrollment_automation (
    enrollment_automation_id UUID PRIMARY KEY,
    workspace_id             UUID NOT NULL,
    user_identity_id         UUID NOT NULL
);
CREATE INDEX enrollment_automation_by_identity ON enrollment_automation (user_identity_id);

-- Phones (lockstep.phone.events): those not deactivated are a delete precondition.
CREATE TABLE phone (
    device_id        UUID PRIMARY KEY,
    workspace_id     UUID    NOT NULL,
    user_identity_id UUID    NOT NULL,
    deactivated      BOOLEAN NOT NULL
);
CREATE INDEX phone_by_identity ON phone (user_identity_id) WHERE NOT deactivated;
