package com.lockstep.schemas.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of an Avro record whose field names are Seam's (a state record such as
 * {@code DeviceState}), and back: Seam's API object and the record carry the same data.
 *
 * <p>Records and maps are JSON objects, arrays are arrays, {@code timestamp-millis} fields are
 * Seam's timestamps (ISO-8601, UTC, milliseconds), and a null field is left out. Reading JSON is
 * strict: a field the record does not have, a required field that is missing or a value of the
 * wrong type is an {@link IllegalArgumentException} naming its path, so a record built from an API
 * object is known to carry all of it.
 */
public final class SeamRecordJson {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SeamRecordJson() {
    }

    /** The record as a JSON object, null fields left out. */
    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) write(record, record.getSchema());
    }

    /** A record of the generated class {@code type} from its JSON object. */
    public static <T extends SpecificRecord> T fromJson(JsonNode json, Class<T> type) {
        SpecificData data = new SpecificData(type.getClassLoader());
        return type.cast(read(json, data.getSchema(type), data, "$"));
    }

    private static JsonNode write(Object value, Schema schema) {
        switch (schema.getType()) {
            case UNION:
                return write(value, branchOf(value, schema));
            case RECORD: {
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode object = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    Object fieldValue = record.get(field.pos());
                    if (fieldValue != null) {
                        object.set(field.name(), write(fieldValue, field.schema()));
                    }
                }
                return object;
            }
            case MAP: {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) value).forEach((key, item) -> object.set(key.toString(), write(item, schema.getValueType())));
                return object;
            }
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                ((Collection<?>) value).forEach(item -> array.add(write(item, schema.getElementType())));
                return array;
            }
            case STRING:
                return NODES.textNode(value.toString());
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case LONG:
                if (isTimestamp(schema)) {
                    return NODES.textNode(TIMESTAMP.format(value instanceof Instant instant ? instant : Instant.ofEpochMilli((Long) value)));
                }
                return NODES.numberNode(((Number) value).longValue());
            case INT:
                return NODES.numberNode(((Number) value).intValue());
            case DOUBLE:
            case FLOAT:
                return NODES.numberNode(((Number) value).doubleValue());
            default:
                throw new IllegalArgumentException("Avro type " + schema.getType() + " has no Seam JSON form");
        }
    }

    /** The branch of a union that a Java value belongs to. */
    private static Schema branchOf(Object value, Schema union) {
        for (Schema branch : union.getTypes()) {
            boolean matches = switch (branch.getType()) {
                case NULL -> value == null;
                case BOOLEAN -> value instanceof Boolean;
                case STRING -> value instanceof CharSequence;
                case LONG -> isTimestamp(branch) ? value instanceof Instant || value instanceof Long : value instanceof Long;
                case INT -> value instanceof Integer;
                case DOUBLE, FLOAT -> value instanceof Double || value instanceof Float;
                case RECORD -> value instanceof IndexedRecord record && record.getSchema().getFullName().equals(branch.getFullName());
                case MAP -> value instanceof Map;
                case ARRAY -> value instanceof Collection;
                default -> false;
            };
            if (matches) {
                return branch;
            }
        }
        throw new IllegalArgumentException("A " + (value == null ? "null" : value.getClass().getName()) + " is not in " + union);
    }

    private static Object read(JsonNode node, Schema schema, SpecificData data, String path) {
        switch (schema.getType()) {
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    if (fits(node, branch)) {
                        return read(node, branch, data, path);
                    }
                }
                throw wrong(path, "a value of " + schema, node);
            case NULL:
                return null;
            case RECORD: {
                require(node.isObject(), path, "an object", node);
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (schema.getField(name) == null) {
                        throw new IllegalArgumentException(path + "." + name + ": not a field of " + schema.getFullName());
                    }
                }
                IndexedRecord record = (IndexedRecord) data.newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    String fieldPath = path + "." + field.name();
                    if (value != null && !value.isNull()) {
                        record.put(field.pos(), read(value, field.schema(), data, fieldPath));
                    } else if (field.schema().isNullable()) {
                        record.put(field.pos(), null);
                    } else if (field.hasDefaultValue()) {
                        record.put(field.pos(), data.deepCopy(field.schema(), data.getDefaultValue(field)));
                    } else {
                        throw new IllegalArgumentException(fieldPath + ": required");
                    }
                }
                return record;
            }
            case MAP: {
                require(node.isObject(), path, "an object", node);
                Map<String, Object> map = new LinkedHashMap<>();
                node.fields().forEachRemaining(entry -> map.put(entry.getKey(),
                        read(entry.getValue(), schema.getValueType(), data, path + "." + entry.getKey())));
                return map;
            }
            case ARRAY: {
                require(node.isArray(), path, "an array", node);
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(read(node.get(i), schema.getElementType(), data, path + "[" + i + "]"));
                }
                return list;
            }
            case STRING:
                require(node.isTextual(), path, "a string", node);
                return node.textValue();
            case BOOLEAN:
                require(node.isBoolean(), path, "a boolean", node);
                return node.booleanValue();
            case LONG:
                if (isTimestamp(schema)) {
                    require(node.isTextual(), path, "a timestamp", node);
                    try {
                        return Instant.parse(node.textValue());
                    } catch (DateTimeParseException e) {
                        throw wrong(path, "a timestamp", node);
                    }
                }
                require(node.isIntegralNumber() && node.canConvertToLong(), path, "an integer", node);
                return node.longValue();
            case INT:
                require(node.isIntegralNumber() && node.canConvertToInt(), path, "an integer", node);
                return node.intValue();
            case DOUBLE:
                require(node.isNumber(), path, "a number", node);
                return node.doubleValue();
            case FLOAT:
                require(node.isNumber(), path, "a number", node);
                return node.floatValue();
            default:
                throw new IllegalArgumentException(path + ": Avro type " + schema.getType() + " has no Seam JSON form");
        }
    }

    /** Whether a JSON value can be read as the union branch {@code branch}. */
    private static boolean fits(JsonNode node, Schema branch) {
        return switch (branch.getType()) {
            case NULL -> node.isNull();
            case BOOLEAN -> node.isBoolean();
            case STRING -> node.isTextual();
            case LONG -> isTimestamp(branch) ? node.isTextual() : node.isIntegralNumber();
            case INT -> node.isIntegralNumber();
            case DOUBLE, FLOAT -> node.isNumber();
            case RECORD, MAP -> node.isObject();
            case ARRAY -> node.isArray();
            default -> false;
        };
    }

    private static boolean isTimestamp(Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    }

    private static void require(boolean condition, String path, String expected, JsonNode node) {
        if (!condition) {
            throw wrong(path, expected, node);
        }
    }

    private static IllegalArgumentException wrong(String path, String expected, JsonNode node) {
        return new IllegalArgumentException(path + ": expected " + expected + ", got " + node.getNodeType().name().toLowerCase()
                + " " + node);
    }
}
