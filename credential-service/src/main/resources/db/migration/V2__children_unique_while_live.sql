-- One live child per parent and phone: a child revoked by unlinking its ACS user from the
-- identity can be issued again when the link comes back. Redelivered events are already
-- deduplicated by the inbox, and a deactivated phone is never issued to.
DROP INDEX acs_credential_one_child_per_phone;
CREATE UNIQUE INDEX acs_credential_one_live_child_per_phone ON acs_credential (parent_acs_credential_id, device_id)
    WHERE parent_acs_credential_id IS NOT NULL AND deleted_at IS NULL;
