package com.lockstep.kit.auth;

import com.lockstep.kit.KitApi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys: {@code seam_} followed by 40 random base62 characters. Only a key's SHA-256 is
 * stored or published; a key has ~238 bits of entropy, so a fast hash is enough (slow password
 * hashes exist for guessable secrets) and lets every service look a key up by its hash.
 */
@KitApi
public final class ApiKeys {

    public static final String PREFIX = "seam_";
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking the algorithm up for every request costs more than hashing the key. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    private ApiKeys() {
    }

    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

    /** The key's SHA-256 in lower-case hex, as stored and published. Every request's auth computes it. */
    public static String hash(String key) {
        MessageDigest sha256 = SHA_256.get();
        sha256.reset();
        return HEX.formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
