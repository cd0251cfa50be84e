-- Projection of identity-service's user_identity events: the identities a sandbox phone may be
-- registered to (/phones/simulate/create_sandbox_phone). A deleted one is kept, marked, as
-- credential-service keeps its own. Rebuilt by replaying the user identity topic.
CREATE TABLE user_identity (
    user_identity_id UUID PRIMARY KEY,
    workspace_id     UUID NOT NULL,
    deleted_at       TIMESTAMPTZ
);
