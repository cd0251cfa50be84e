package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.KitApi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list. The query asks for {@code limit + 1} rows; the extra
 * row only says whether another page exists.
 */
@KitApi
public final class Page {

    public static final int DEFAULT_LIMIT = 500;
    public static final int MAX_LIMIT = 10_000;

    /** The pagination of a page that is the last one, as {@link #response} writes it. */
    private static final byte[] LAST_PAGE =
            "{\"has_next_page\":false,\"next_page_cursor\":null,\"next_page_url\":null}".getBytes(StandardCharsets.UTF_8);

    private Page() {
    }

    /** Reads {@code limit} (1..{@value MAX_LIMIT}, default {@value DEFAULT_LIMIT}). */
    public static int limit(Params params) {
        Integer limit = params.optionalInt("limit", 1, MAX_LIMIT);
        return limit == null ? DEFAULT_LIMIT : limit;
    }

    /**
     * Builds {@code {"<key>": [...], "pagination": {...}, "ok": true}} from up to
     * {@code limit + 1} rows in list order.
     */
    public static <T> SeamResponse response(String key, List<T> rows, int limit, SeamRequest request,
                                            Function<T, JsonNode> toJson, Function<T, PageCursor> cursorOf) {
        boolean hasNext = rows.size() > limit;
        List<T> page = hasNext ? rows.subList(0, limit) : rows;
        ArrayNode items = JsonNodeFactory.instance.arrayNode(page.size());
        page.forEach(row -> items.add(toJson.apply(row)));
        ObjectNode pagination;
        if (hasNext) {
            pagination = pagination(cursorOf.apply(page.get(page.size() - 1)), request);
        } else {
            pagination = JsonNodeFactory.instance.objectNode();
            pagination.put("has_next_page", false);
            pagination.putNull("next_page_cursor");
            pagination.putNull("next_page_url");
        }
        return SeamResponse.of(key, items).with("pagination", pagination);
    }

    /**
     * The same page as {@link #response}, from rows whose JSON is already written ({@code json}):
     * nothing is parsed or serialized again but the pagination.
     */
    public static <T> SeamResponse rendered(String key, List<T> rows, int limit, SeamRequest request,
                                            Function<T, byte[]> json, Function<T, PageCursor> cursorOf) {
        return SeamResponse.rendered(RenderedJson.wrap(renderedBody(key, rows, limit, request, json, cursorOf)));
    }

    /** The body {@link #rendered} sends, in the shape {@link #response} gives. */
    public static <T> byte[] renderedBody(String key, List<T> rows, int limit, SeamRequest request,
                                          Function<T, byte[]> json, Function<T, PageCursor> cursorOf) {
        boolean hasNext = rows.size() > limit;
        List<T> page = hasNext ? rows.subList(0, limit) : rows;
        List<byte[]> items = new ArrayList<>(page.size());
        page.forEach(row -> items.add(json.apply(row)));
        byte[] pagination = hasNext
                ? pagination(cursorOf.apply(page.get(page.size() - 1)), request).toString().getBytes(StandardCharsets.UTF_8)
                : LAST_PAGE;
        return RenderedJson.list(key, items, List.of("pagination"), List.of(pagination));
    }

    private static ObjectNode pagination(PageCursor last, SeamRequest request) {
        ObjectNode pagination = JsonNodeFactory.instance.objectNode();
        pagination.put("has_next_page", true);
        String cursor = last.encode();
        pagination.put("next_page_cursor", cursor);
        pagination.put("next_page_url", nextPageUrl(request, cursor));
        return pagination;
    }

    private static String nextPageUrl(SeamRequest request, String cursor) {
        StringJoiner query = new StringJoiner("&");
        Iterator<Map.Entry<String, JsonNode>> fields = request.params().raw().fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("page_cursor")) {
                continue;
            }
            if (field.getValue().isArray()) {
                field.getValue().forEach(v -> query.add(encode(field.getKey()) + "=" + encode(v.asText())));
            } else if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                query.add(encode(field.getKey()) + "=" + encode(field.getValue().asText()));
            }
        }
        query.add("page_cursor=" + encode(cursor));
        return request.absoluteUrlWithoutQuery() + "?" + query;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
