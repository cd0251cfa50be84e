package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.kit.KitApi;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The parameters of one request, read with Seam's validation rules.
 * Query strings and JSON bodies arrive here as the same JSON object; values from a query
 * string are text, so numbers and booleans are also accepted in their text form.
 * Problems are collected per parameter and reported together by {@link #validate()},
 * in zod's format, which the Seam SDKs turn into {@code SeamHttpInvalidInputError}.
 */
@KitApi
public final class Params {

    public static final int MAX_STRING_LENGTH = 10_000;
    public static final int MAX_ARRAY_LENGTH = 1_000;

    /** zod's email pattern, which Seam's validation uses. */
    private static final Pattern EMAIL = Pattern.compile(
            "^(?!\\.)(?!.*\\.\\.)([A-Z0-9_'+\\-.]*)[A-Z0-9_+-]@([A-Z0-9][A-Z0-9\\-]*\\.)+[A-Z]{2,}$", Pattern.CASE_INSENSITIVE);
    /** E.164: a plus, then up to 15 digits, the first not zero. */
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");

    /** The instants an ISO 8601 date-time with a four-digit year can name, and PostgreSQL can store. */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    private static final String NUL_PROBLEM = "Must not contain the NUL character (U+0000)";

    private final ObjectNode values;
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    /** Where a nested object's problems are reported, under {@code prefix.name}; null at the top. */
    private final Params parent;
    private final String prefix;
    /** What this request's endpoint reads, where recorded (tests); null otherwise. */
    private final DeclaredParameters declared;

    public Params(ObjectNode values) {
        this(values, null, null, null);
    }

    Params(ObjectNode values, DeclaredParameters declared) {
        this(values, null, null, declared);
    }

    private Params(ObjectNode values, Params parent, String prefix, DeclaredParameters declared) {
        this.values = values;
        this.parent = parent;
        this.prefix = prefix;
        this.declared = declared;
    }

    private void declare(String name, String type, String format, boolean required) {
        if (declared != null) {
            declared.declare(prefix == null ? name : prefix + "." + name, type, format, required);
        }
    }

    public ObjectNode raw() {
        return values;
    }

    public boolean has(String name) {
        JsonNode value = values.get(name);
        return value != null && !value.isNull();
    }

    public void problem(String name, String message) {
        problems.computeIfAbsent(name, k -> new ArrayList<>()).add(message);
    }

    public UUID requiredUuid(String name) {
        declare(name, "string", "uuid", true);
        if (!has(name)) {
            problem(name, "Required");
            return null;
        }
        return optionalUuid(name);
    }

    public UUID optionalUuid(String name) {
        declare(name, "string", "uuid", false);
        String text = optionalString(name);
        if (text == null) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(text);
            if (uuid.toString().equalsIgnoreCase(text)) {
                return uuid;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        problem(name, "Invalid uuid");
        return null;
    }

    public String requiredString(String name) {
        declare(name, "string", null, true);
        if (!has(name)) {
            problem(name, "Required");
            return null;
        }
        return optionalString(name);
    }

    public String optionalString(String name) {
        declare(name, "string", null, false);
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problem(name, "Expected string, received " + typeOf(value));
            return null;
        }
        if (value.textValue().length() > MAX_STRING_LENGTH) {
            problem(name, "String must contain at most " + MAX_STRING_LENGTH + " character(s)");
            return null;
        }
        if (value.textValue().indexOf('\u0000') >= 0) {
            problem(name, NUL_PROBLEM);
            return null;
        }
        return value.textValue();
    }

    /** A string of at least one character. */
    public String optionalNonEmptyString(String name) {
        declare(name, "string", null, false);
        String value = optionalString(name);
        if (value != null && value.isEmpty()) {
            problem(name, "String must contain at least 1 character(s)");
        }
        return value;
    }

    /** An email address zod accepts. */
    public String optionalEmail(String name) {
        declare(name, "string", "email", false);
        String value = optionalString(name);
        if (value != null && !EMAIL.matcher(value).matches()) {
            problem(name, "Invalid email");
            return null;
        }
        return value;
    }

    /** A phone number in E.164 format. */
    public String optionalE164(String name) {
        declare(name, "string", null, false);
        String value = optionalString(name);
        if (value != null && !E164.matcher(value).matches()) {
            problem(name, "Invalid phone number: expected E.164 format, e.g. +15555550100");
            return null;
        }
        return value;
    }

    public Boolean optionalBoolean(String name) {
        declare(name, "boolean", null, false);
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && ("true".equals(value.textValue()) || "false".equals(value.textValue()))) {
            return Boolean.parseBoolean(value.textValue());
        }
        problem(name, "Expected boolean, received " + typeOf(value));
        return null;
    }

    public Integer optionalInt(String name, int min, int max) {
        declare(name, "integer", null, false);
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        long number;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            number = value.longValue();
        } else if (value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
            number = (long) value.doubleValue();
        } else if (value.isTextual() && value.textValue().matches("-?\\d{1,12}")) {
            number = Long.parseLong(value.textValue());
        } else {
            problem(name, "Expected integer, received " + typeOf(value));
            return null;
        }
        if (number < min || number > max) {
            problem(name, "Number must be between " + min + " and " + max);
            return null;
        }
        return (int) number;
    }

    public Instant optionalInstant(String name) {
        declare(name, "string", "date-time", false);
        String text = optionalString(name);
        if (text == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(text);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                problem(name, "Invalid datetime: the year must be between 1 and 9999");
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            problem(name, "Invalid datetime");
            return null;
        }
    }

    /**
     * An array of UUIDs; a query string gives one as repeated keys (a single value is an array of
     * one, an empty value an empty array).
     */
    public List<UUID> optionalUuidList(String name) {
        declare(name, "array", "uuid", false);
        List<String> texts = optionalStringList(name);
        if (texts == null) {
            return null;
        }
        List<UUID> uuids = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                UUID uuid = UUID.fromString(text);
                if (uuid.toString().equalsIgnoreCase(text)) {
                    uuids.add(uuid);
                    continue;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            problem(name, "Invalid uuid");
            return null;
        }
        return uuids;
    }

    /** An array of strings, read as {@link #optionalUuidList} reads its arrays. */
    public List<String> optionalStringList(String name) {
        declare(name, "array", null, false);
        JsonNode value = values.get(name);
        if (value == null || value.isMissingNode()) {
            return null;
        }
        if (value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return optionalString(name) == null ? null : List.of(value.textValue());
        }
        if (!value.isArray()) {
            problem(name, "Expected array, received " + typeOf(value));
            return null;
        }
        if (value.size() > MAX_ARRAY_LENGTH) {
            problem(name, "Array must contain at most " + MAX_ARRAY_LENGTH + " element(s)");
            return null;
        }
        List<String> texts = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().length() > MAX_STRING_LENGTH) {
                problem(name, item.isTextual() ? "String must contain at most " + MAX_STRING_LENGTH + " character(s)"
                        : "Expected string, received " + typeOf(item));
                return null;
            }
            if (item.textValue().indexOf('\u0000') >= 0) {
                problem(name, NUL_PROBLEM);
                return null;
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    /** A JSON object parameter; a query string gives it as dotted keys, already nested here. */
    public ObjectNode optionalObject(String name) {
        declare(name, "object", null, false);
        JsonNode value = values.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            problem(name, "Expected object, received " + typeOf(value));
            return null;
        }
        if (containsNul(value)) {
            problem(name, NUL_PROBLEM);
            return null;
        }
        return (ObjectNode) value;
    }

    /** PostgreSQL stores no U+0000 in text or JSON, so no value may carry one, however deep. */
    private static boolean containsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                if (field.getKey().indexOf('\u0000') >= 0 || containsNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Reads a nested object's parameters, reporting problems under {@code name.field}. */
    public Params nested(String name) {
        ObjectNode object = optionalObject(name);
        return new Params(object == null ? JsonNodeFactory.instance.objectNode() : object, this, name, declared);
    }

    /**
     * Throws {@code invalid_input} with every problem found so far; a nested object's
     * problems are handed to its parent, which reports them.
     */
    public void validate() {
        if (parent != null) {
            problems.forEach((name, messages) -> messages.forEach(m -> parent.problem(prefix + "." + name, m)));
            problems.clear();
            return;
        }
        if (problems.isEmpty()) {
            return;
        }
        ObjectNode errors = JsonNodeFactory.instance.objectNode();
        errors.putArray("_errors");
        StringBuilder message = new StringBuilder();
        problems.forEach((name, messages) -> {
            // zod's format(): a nested parameter's errors sit inside its parent's object.
            ObjectNode node = errors;
            for (String segment : name.split("\\.")) {
                ObjectNode child = node.get(segment) instanceof ObjectNode existing ? existing : node.putObject(segment);
                if (!child.has("_errors")) {
                    child.putArray("_errors");
                }
                node = child;
            }
            ArrayNode list = (ArrayNode) node.get("_errors");
            messages.forEach(list::add);
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(name).append(": ").append(String.join(", ", messages));
        });
        throw SeamException.invalidInput(message.toString(), errors);
    }

    private static String typeOf(JsonNode value) {
        if (value.isTextual()) return "string";
        if (value.isNumber()) return "number";
        if (value.isBoolean()) return "boolean";
        if (value.isArray()) return "array";
        if (value.isObject()) return "object";
        return "null";
    }
}
