package com.lockstep.kit.api;

import com.lockstep.kit.KitApi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Position after the last row of a page in a list ordered by (created_at DESC, id DESC).
 * Opaque to callers; the next page is a keyset query ({@code (created_at, id) < (?, ?)}),
 * so every page costs the same however deep it is.
 */
@KitApi
public record PageCursor(Instant createdAt, UUID id) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    public String encode() {
        String plain = createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code page_cursor}; a cursor this service did not write is an invalid_input. */
    public static PageCursor read(Params params) {
        String text = params.optionalString("page_cursor");
        if (text == null) {
            return null;
        }
        try {
            String[] parts = new String(DECODER.decode(text), StandardCharsets.UTF_8).split(":", 3);
            Instant createdAt = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            if (createdAt.isBefore(Params.EARLIEST) || createdAt.isAfter(Params.LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new PageCursor(createdAt, UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            params.problem("page_cursor", "Invalid page cursor");
            return null;
        }
    }
}
