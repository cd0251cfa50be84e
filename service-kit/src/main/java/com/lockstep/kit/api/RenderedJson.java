package com.lockstep.kit.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.lockstep.kit.KitApi;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Response bodies assembled from JSON that is already written (a record serialized once, when it
 * changed), byte for byte, in the shape {@link SeamResponse} gives: {@code {"<key>": ..., "ok": true}}.
 */
@KitApi
public final class RenderedJson {

    private static final byte[] OK_END = ",\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private RenderedJson() {
    }

    /** {@code {"<key>":<value>,"ok":true}}, e.g. a get's body. */
    public static byte[] single(String key, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + key.length() + 16);
        out.write('{');
        writeKey(out, key);
        out.writeBytes(value);
        out.writeBytes(OK_END);
        return out.toByteArray();
    }

    /**
     * {@code {"<key>":[<item>,...],"<otherKey>":<other>,...,"ok":true}}: a list under {@code key},
     * then further members already written (each a key and its JSON value), e.g. pagination.
     */
    static byte[] list(String key, List<byte[]> items, List<String> otherKeys, List<byte[]> otherValues) {
        int size = key.length() + 32;
        for (byte[] item : items) {
            size += item.length + 1;
        }
        for (byte[] other : otherValues) {
            size += other.length + 32;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('{');
        writeKey(out, key);
        out.write('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.write(']');
        for (int i = 0; i < otherKeys.size(); i++) {
            out.write(',');
            writeKey(out, otherKeys.get(i));
            out.writeBytes(otherValues.get(i));
        }
        out.writeBytes(OK_END);
        return out.toByteArray();
    }

    /**
     * A buffer to keep and send many times: in direct memory (the socket write copies nothing
     * more), freed by the garbage collector with the buffer, never released by a send.
     */
    public static Buffer shared(byte[] json) {
        ByteBuffer direct = ByteBuffer.allocateDirect(json.length);
        direct.put(json).flip();
        return Buffer.buffer(Unpooled.wrappedBuffer(direct));
    }

    /** A buffer over these bytes, without copying them; for a body sent once. */
    public static Buffer wrap(byte[] json) {
        return Buffer.buffer(Unpooled.wrappedBuffer(json));
    }

    private static void writeKey(ByteArrayOutputStream out, String key) {
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(key));
        out.write('"');
        out.write(':');
    }
}
