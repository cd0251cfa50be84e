package com.lockstep.kit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Describes a service's Seam API, once, at build time: every {@code @SeamApi} method that is not
 * {@code @AdminOnly}, under {@code post} and under its {@code @SdkMethod}, as Seam's own document
 * does. The parameters are what the endpoint reads ({@code META-INF/lockstep/endpoints.json},
 * recorded from {@link Params} and checked by each service's tests); the answer is its
 * {@link SeamAnswer}. The resource methods' own signature (a {@link SeamRequest} in, a
 * {@link SeamResponse} out) says neither, so the scanned paths are replaced.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SeamOpenApiFilter implements OASFilter {

    static final String ENDPOINTS = "META-INF/lockstep/endpoints.json";

    private static final DotName SEAM_API = DotName.createSimple(SeamApi.class);
    private static final DotName ADMIN_ONLY = DotName.createSimple(AdminOnly.class);
    private static final DotName SDK_METHOD = DotName.createSimple(SdkMethod.class);
    private static final DotName SEAM_ANSWER = DotName.createSimple(SeamAnswer.class);
    private static final DotName POST = DotName.createSimple(jakarta.ws.rs.POST.class);
    private static final DotName PATH = DotName.createSimple(jakarta.ws.rs.Path.class);

    private final IndexView index;

    public SeamOpenApiFilter(IndexView index) {
        this.index = index;
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        JsonNode parameters = endpointParameters();
        Map<String, PathItem> items = new TreeMap<>();
        for (AnnotationInstance api : index.getAnnotations(SEAM_API)) {
            if (api.target().kind() != AnnotationTarget.Kind.CLASS || api.target().asClass().hasDeclaredAnnotation(ADMIN_ONLY)) {
                continue;
            }
            ClassInfo resource = api.target().asClass();
            String base = pathOf(resource.declaredAnnotation(PATH));
            for (MethodInfo method : resource.methods()) {
                if (method.hasDeclaredAnnotation(POST) && !method.hasDeclaredAnnotation(ADMIN_ONLY)) {
                    String path = base + pathOf(method.declaredAnnotation(PATH));
                    items.put(path, pathItem(path, method, parameters.path(path)));
                }
            }
        }
        Paths paths = OASFactory.createPaths();
        items.forEach(paths::addPathItem);
        openAPI.setPaths(paths);
        if (openAPI.getComponents() != null) {
            openAPI.getComponents().setSchemas(null);
        }
    }

    private static PathItem pathItem(String path, MethodInfo method, JsonNode parameters) {
        PathItem item = OASFactory.createPathItem();
        Schema answer = answer(method.declaredAnnotation(SEAM_ANSWER));
        item.setPOST(operation(path, "post", answer).requestBody(OASFactory.createRequestBody()
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(requestSchema(parameters))))));
        AnnotationInstance sdk = method.declaredAnnotation(SDK_METHOD);
        if (sdk != null) {
            String sdkMethod = sdk.value().asString().toLowerCase(Locale.ROOT);
            Operation operation = operation(path, sdkMethod, answer);
            if (sdkMethod.equals("get") || sdkMethod.equals("delete")) {
                parameters.fields().forEachRemaining(parameter -> operation.addParameter(OASFactory.createParameter()
                        .name(parameter.getKey()).in(Parameter.In.QUERY)
                        .required(parameter.getValue().path("required").asBoolean() ? true : null)
                        .schema(schema(parameter.getValue()))));
            } else {
                operation.setRequestBody(item.getPOST().getRequestBody());
            }
            item.setOperation(PathItem.HttpMethod.valueOf(sdkMethod.toUpperCase(Locale.ROOT)), operation);
        }
        return item;
    }

    /** Seam's operation id ({@code phonesGetGet}), summary (the path) and tag (the path's group). */
    private static Operation operation(String path, String method, Schema answer) {
        StringBuilder id = new StringBuilder();
        for (String word : path.split("[/_]")) {
            if (!word.isEmpty()) {
                id.append(id.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
            }
        }
        id.append(Character.toUpperCase(method.charAt(0))).append(method.substring(1));
        return OASFactory.createOperation()
                .operationId(id.toString())
                .summary(path)
                .addTag(path.substring(0, path.lastIndexOf('/')))
                .addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme("api_key"))
                .responses(OASFactory.createAPIResponses()
                        .addAPIResponse("200", OASFactory.createAPIResponse().description("OK")
                                .content(OASFactory.createContent().addMediaType("application/json",
                                        OASFactory.createMediaType().schema(answer))))
                        .addAPIResponse("400", OASFactory.createAPIResponse().description("Bad Request"))
                        .addAPIResponse("401", OASFactory.createAPIResponse().description("Unauthorized")));
    }

    /** The parameters as an object schema; {@code object.field} names become the nested object's properties. */
    private static Schema requestSchema(JsonNode parameters) {
        Schema body = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT);
        for (Iterator<Map.Entry<String, JsonNode>> fields = parameters.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> parameter = fields.next();
            Schema parent = body;
            String[] names = parameter.getKey().split("\\.");
            for (int i = 0; i < names.length - 1; i++) {
                parent = parent.getProperties().get(names[i]);
            }
            String name = names[names.length - 1];
            parent.addProperty(name, schema(parameter.getValue()));
            if (parameter.getValue().path("required").asBoolean()) {
                parent.addRequired(name);
            }
        }
        return body;
    }

    private static Schema schema(JsonNode parameter) {
        String type = parameter.path("type").asText();
        String format = parameter.path("format").isTextual() ? parameter.path("format").asText() : null;
        if (type.equals("array")) {
            return OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                    .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING).format(format));
        }
        return OASFactory.createSchema().addType(Schema.SchemaType.valueOf(type.toUpperCase(Locale.ROOT))).format(format);
    }

    /** {@code {ok, <key>, pagination?}}, with Seam's {@code x-response-key}. */
    private static Schema answer(AnnotationInstance annotation) {
        Schema answer = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("ok", OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN))
                .addRequired("ok");
        if (annotation == null) {
            return answer;
        }
        String key = annotation.value().asString();
        boolean list = annotation.value("list") != null && annotation.value("list").asBoolean();
        Schema object = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT);
        Schema value = list ? OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(object) : object;
        answer.addProperty(key, value).addRequired(key).addExtension("x-response-key", key);
        List<String> sameAs = new ArrayList<>();
        if (annotation.value("sameAs") != null) {
            sameAs.addAll(List.of(annotation.value("sameAs").asStringArray()));
        }
        sameAs.forEach(other -> answer.addProperty(other, value).addRequired(other));
        if (annotation.value("paginated") != null && annotation.value("paginated").asBoolean()) {
            answer.addProperty("pagination", OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)).addRequired("pagination");
        }
        return answer;
    }

    private static String pathOf(AnnotationInstance path) {
        return path == null ? "" : path.value().asString();
    }

    private static JsonNode endpointParameters() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(ENDPOINTS)) {
            return in == null ? new ObjectMapper().createObjectNode() : new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + ENDPOINTS, e);
        }
    }
}
