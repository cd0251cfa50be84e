package com.lockstep.identity.domain;

import com.lockstep.kit.api.Params;

/**
 * What a caller sets on a user identity: key, email address, phone number and full name, each
 * optional. Read with Seam's rules (see {@link Params}): an email address zod accepts, a phone
 * number in E.164, and no empty key or name.
 */
public record UserIdentityProfile(String userIdentityKey, String emailAddress, String phoneNumber, String fullName) {

    public static final String KEY = "user_identity_key";
    public static final String EMAIL = "email_address";
    public static final String PHONE = "phone_number";
    public static final String FULL_NAME = "full_name";

    /** Reads the four fields; one left out is null. Problems are collected in {@code params}. */
    public static UserIdentityProfile read(Params params) {
        return new UserIdentityProfile(params.optionalNonEmptyString(KEY), params.optionalEmail(EMAIL), params.optionalE164(PHONE),
                params.optionalNonEmptyString(FULL_NAME));
    }

    /**
     * An update: the fields the request names take this profile's values (a field sent as null
     * is cleared), the others keep {@code current}'s.
     */
    public UserIdentityProfile over(UserIdentityProfile current, Params params) {
        return new UserIdentityProfile(
                params.raw().has(KEY) ? userIdentityKey : current.userIdentityKey(),
                params.raw().has(EMAIL) ? emailAddress : current.emailAddress(),
                params.raw().has(PHONE) ? phoneNumber : current.phoneNumber(),
                params.raw().has(FULL_NAME) ? fullName : current.fullName());
    }
}
