package com.lockstep.identity.domain;

import com.lockstep.kit.api.Params;

import java.util.regex.Pattern;

/**
 * What a caller sets on a user identity: key, email address, phone number and full name, each
 * optional. Read with Seam's rules: an email address zod accepts, a phone number in E.164, and
 * no empty key or name.
 */
public record UserIdentityProfile(String userIdentityKey, String emailAddress, String phoneNumber, String fullName) {

    public static final String KEY = "user_identity_key";
    public static final String EMAIL = "email_address";
    public static final String PHONE = "phone_number";
    public static final String FULL_NAME = "full_name";

    /** zod's email pattern, which Seam's validation uses. */
    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "^(?!\\.)(?!.*\\.\\.)([A-Z0-9_'+\\-.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\\-]*\\.)+[A-Z]{2,}$", Pattern.CASE_INSENSITIVE);
    /** E.164: a plus, then up to 15 digits, the first not zero. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    /** Reads the four fields; one left out is null. Problems are collected in {@code params}. */
    public static UserIdentityProfile read(Params params) {
        return new UserIdentityProfile(nonEmpty(params, KEY), email(params), phone(params), nonEmpty(params, FULL_NAME));
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

    private static String nonEmpty(Params params, String name) {
        String value = params.optionalString(name);
        if (value != null && value.isEmpty()) {
            params.problem(name, "String must contain at least 1 character(s)");
        }
        return value;
    }

    private static String email(Params params) {
        String value = params.optionalString(EMAIL);
        if (value != null && !EMAIL_PATTERN.matcher(value).matches()) {
            params.problem(EMAIL, "Invalid email");
        }
        return value;
    }

    private static String phone(Params params) {
        String value = params.optionalString(PHONE);
        if (value != null && !E164.matcher(value).matches()) {
            params.problem(PHONE, "Invalid phone number: expected E.164 format, e.g. +15555550100");
        }
        return value;
    }
}
