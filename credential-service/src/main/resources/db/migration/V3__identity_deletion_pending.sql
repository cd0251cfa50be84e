-- identity-service announces a deletion (user_identity.updated with deletion_pending) before it
-- looks at the identity's credentials a last time; meanwhile no credential is created for it.
ALTER TABLE user_identity ADD COLUMN deletion_pending BOOLEAN NOT NULL DEFAULT false;
