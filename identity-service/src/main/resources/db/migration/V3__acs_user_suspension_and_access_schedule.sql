-- ACS users (lockstep.acs_user.events): acs_user.updated carries, beyond the fields acs_user.created
-- has, whether the ACS user is suspended and its access schedule (both null: none), which
-- list_acs_users shows as credential-service does.
ALTER TABLE acs_user
    ADD COLUMN is_suspended              BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN access_schedule_starts_at TIMESTAMPTZ,
    ADD COLUMN access_schedule_ends_at   TIMESTAMPTZ;
