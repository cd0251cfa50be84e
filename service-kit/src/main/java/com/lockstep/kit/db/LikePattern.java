package com.lockstep.kit.db;

import com.lockstep.kit.KitApi;

/**
 * A search text matched literally by LIKE and ILIKE, in HQL or SQL: its own {@code %} and
 * {@code _} are escaped with {@code !}, which the query names with {@link #ESCAPE} after each
 * pattern. One escape character, named, everywhere: HQL's {@code like} has no escape of its own,
 * and a backslash would need escaping again in Java and in some SQL strings.
 */
@KitApi
public final class LikePattern {

    /** What follows every pattern parameter in the query: {@code name ilike :contains escape '!'}. */
    public static final String ESCAPE = "escape '!'";

    private LikePattern() {
    }

    /** The text anywhere. */
    public static String containing(String text) {
        return "%" + literal(text) + "%";
    }

    /** The text at the start. */
    public static String startingWith(String text) {
        return literal(text) + "%";
    }

    private static String literal(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
