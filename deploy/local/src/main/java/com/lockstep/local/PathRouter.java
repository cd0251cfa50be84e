package com.lockstep.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One base URL for the whole API: a reverse proxy (Vert.x HTTP Proxy) on 127.0.0.1 that sends each
 * request to the service serving its path prefix, passing method, URI, headers (including
 * {@code Host}, so the services build URLs such as {@code next_page_url} on the router's address)
 * and body through. Connections to the services are kept alive and pooled.
 *
 * <p>A service's requests go to its replicas in turn. A replica that cannot be connected to (killed,
 * say) is skipped for the next one: nothing of the request has been sent yet, so trying another
 * cannot apply it twice. A request that has been sent is never sent again. The response names the
 * replica that served it in {@value #REPLICA_HEADER}.
 *
 * <p>A path no service serves gets Seam's {@code endpoint_not_found} error; a service none of whose
 * replicas can be reached gets {@code service_unavailable} (503) at once.
 *
 * <p>{@value #OPENAPI} is the whole API's OpenAPI document: every service's own, fetched from one of
 * its replicas and merged (their paths never overlap: each prefix has one service).
 */
final class PathRouter implements AutoCloseable {

    static final String REQUEST_ID_HEADER = "seam-request-id";
    /** On each response a service gave: which replica gave it, {@code <service>-<replica>}. */
    static final String REPLICA_HEADER = "x-lockstep-replica";
    static final int MAX_INITIAL_LINE_BYTES = 65_536;
    static final int MAX_HEADER_BYTES = 20_480;
    private static final Logger LOG = LoggerFactory.getLogger(PathRouter.class);
    /** Connections kept to each replica. */
    private static final int POOL_SIZE = 64;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** A service that sends nothing for this long is treated as unavailable. */
    private static final long IDLE_TIMEOUT_MILLIS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OPENAPI = "/openapi.json";
    /**
     * Half the cores: the router shares the machine with the services it fronts (and, in a
     * benchmark, with the load generator); Vert.x's default of twice the cores measured slower on
     * two cores. {@code -Dlockstep.router.event-loops=N} overrides it.
     */
    private static final int DEFAULT_EVENT_LOOPS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private final int requestedPort;
    private final List<Route> routes = new ArrayList<>();
    private Vertx vertx;
    private HttpServer server;
    private boolean closed;

    private record Route(String prefix, Replicas replicas) {
    }

    /** A service's replicas, {@code ports.get(i)} being replica i's, and whose turn is next. */
    private record Replicas(String service, List<Integer> ports, AtomicInteger turns) {

        /** The replica to try first for the next request: each in turn. */
        int next() {
            return Math.floorMod(turns.getAndIncrement(), ports.size());
        }

        String name(int replica) {
            return service + "-" + replica;
        }
    }

    /** @param port the port to listen on, or 0 for a free one */
    PathRouter(int port) {
        this.requestedPort = port;
    }

    /** Sends every path under the service's prefixes to its replicas, on {@code 127.0.0.1:replicaPorts.get(i)}. */
    synchronized PathRouter route(ServiceSpec service, List<Integer> replicaPorts) {
        if (vertx != null) {
            throw new IllegalStateException("Routes are fixed once the router has started");
        }
        if (replicaPorts.isEmpty()) {
            throw new IllegalArgumentException(service.name() + " has no replica to route to");
        }
        Replicas replicas = new Replicas(service.name(), List.copyOf(replicaPorts), new AtomicInteger());
        for (String prefix : service.pathPrefixes()) {
            routes.add(new Route(prefix, replicas));
        }
        return this;
    }

    synchronized void start() throws Exception {
        if (closed || vertx != null) {
            throw new IllegalStateException(closed ? "The router has been closed" : "The router runs already");
        }
        vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Integer.getInteger("lockstep.router.event-loops", DEFAULT_EVENT_LOOPS))
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                            .setKeepAlive(true)
                            .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                            .setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(POOL_SIZE));
            // Longest prefix first, so that a more specific prefix wins.
            List<Backend> backends = routes.stream()
                    .sorted(Comparator.comparingInt((Route route) -> route.prefix().length()).reversed())
                    .map(route -> new Backend(route.prefix(), proxy(client, route)))
                    .toList();
            List<Replicas> services = routes.stream().map(Route::replicas).distinct().toList();
            server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(FreePorts.HOST)
                            .setPort(requestedPort)
                            .setTcpNoDelay(true)
                            .setCompressionSupported(false)
                            // The services' own limits (service-kit's defaults), so the router refuses nothing they take.
                            .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                            .setMaxHeaderSize(MAX_HEADER_BYTES))
                    .invalidRequestHandler(PathRouter::invalidRequest)
                    .requestHandler(request -> {
                        if (request.path().equals(OPENAPI)) {
                            openApi(client, services, request);
                        } else {
                            dispatch(backends, request);
                        }
                    });
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            close();
            throw new IllegalStateException("The router could not listen on " + FreePorts.HOST + ":" + requestedPort
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            close();
            throw e;
        }
        LOG.debug("Router listening on {}", baseUrl());
    }

    synchronized int port() {
        return server.actualPort();
    }

    synchronized String baseUrl() {
        return "http://" + FreePorts.HOST + ":" + port();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The router did not close cleanly: {}", e.toString());
        } finally {
            vertx = null;
            server = null;
        }
    }

    private record Backend(String prefix, HttpProxy proxy) {
    }

    private static void dispatch(List<Backend> backends, HttpServerRequest request) {
        String unreadable = unreadableUri(request.uri());
        if (unreadable != null) {
            String requestId = UUID.randomUUID().toString();
            request.response()
                    .setStatusCode(400)
                    .putHeader("Content-Type", "application/json")
                    .putHeader(REQUEST_ID_HEADER, requestId)
                    .end(errorBody("invalid_input", unreadable, requestId));
            return;
        }
        String path = request.path();
        for (Backend backend : backends) {
            if (path.startsWith(backend.prefix())) {
                backend.proxy().handle(request);
                return;
            }
        }
        String requestId = UUID.randomUUID().toString();
        request.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .putHeader(REQUEST_ID_HEADER, requestId)
                .end(errorBody("endpoint_not_found", "No endpoint at " + path, requestId));
    }

    /** Every service's document, merged into one: the first's info and security scheme, all their paths, sorted. */
    private static void openApi(HttpClient client, List<Replicas> services, HttpServerRequest request) {
        List<Future<JsonNode>> documents = services.stream().map(service -> document(client, service, 0)).toList();
        Future.all(documents).onComplete(fetched -> {
            if (fetched.failed()) {
                String requestId = UUID.randomUUID().toString();
                request.response().setStatusCode(503).putHeader("Content-Type", "application/json").putHeader(REQUEST_ID_HEADER, requestId)
                        .end(errorBody("service_unavailable", "A service's OpenAPI document is unavailable: "
                                + fetched.cause().getMessage(), requestId));
                return;
            }
            ObjectNode merged = documents.get(0).result().deepCopy();
            TreeMap<String, JsonNode> paths = new TreeMap<>();
            documents.forEach(document -> document.result().path("paths").fields()
                    .forEachRemaining(path -> paths.put(path.getKey(), path.getValue())));
            merged.putObject("paths").setAll(paths);
            request.response().putHeader("Content-Type", "application/json").end(merged.toString());
        });
    }

    /** A service's own {@value #OPENAPI}, from its first replica that answers. */
    private static Future<JsonNode> document(HttpClient client, Replicas replicas, int replica) {
        return client.request(HttpMethod.GET, replicas.ports().get(replica), FreePorts.HOST, OPENAPI)
                .compose(HttpClientRequest::send)
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture(replicas.name(replica) + " answered " + response.statusCode()))
                .compose(body -> {
                    try {
                        return Future.succeededFuture(JSON.readTree(body.getBytes()));
                    } catch (java.io.IOException e) {
                        return Future.failedFuture(e);
                    }
                })
                .recover(e -> replica + 1 < replicas.ports().size() ? document(client, replicas, replica + 1) : Future.failedFuture(e));
    }

    /**
     * Why no service could read this URI (raw non-ASCII bytes, a broken percent-encoding), or null:
     * the services' HTTP layer would refuse it without a Seam error body.
     */
    private static String unreadableUri(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) > 0x7e || uri.charAt(i) < 0x21) {
                return "The request's URI has characters that are not percent-encoded";
            }
        }
        try {
            new QueryStringDecoder(uri).parameters();
            return null;
        } catch (IllegalArgumentException e) {
            return "The request's query string could not be decoded: " + e.getMessage();
        }
    }

    /** A request HTTP itself cannot take (a line or headers too long, bad bytes): a Seam error, then close. */
    private static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String message = switch (status) {
            case 414 -> "The request line is longer than " + MAX_INITIAL_LINE_BYTES + " bytes";
            case 431 -> "The request's headers are larger than " + MAX_HEADER_BYTES + " bytes";
            default -> "The request is not valid HTTP";
        };
        String requestId = UUID.randomUUID().toString();
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .putHeader(REQUEST_ID_HEADER, requestId)
                .end(errorBody("invalid_input", message, requestId))
                .onComplete(done -> request.connection().close());
    }

    private static HttpProxy proxy(HttpClient client, Route route) {
        Replicas replicas = route.replicas();
        return HttpProxy.reverseProxy(client)
                .origin(context -> connect(context, replicas, replicas.next(), replicas.ports().size()))
                .addInterceptor(new ProxyInterceptor() {
                    @Override
                    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                        // Keep the client's Host: the service sees the URL the client used.
                        HostAndPort authority = context.request().proxiedRequest().authority();
                        if (authority != null) {
                            context.request().setAuthority(authority);
                        }
                        return context.sendRequest()
                                .map(response -> response.putHeader(REPLICA_HEADER, context.get(REPLICA_HEADER, String.class)))
                                .recover(failure -> {
                                    LOG.debug("{} {}: {} unavailable: {}", context.request().getMethod(),
                                            context.request().getURI(), replicas.service(), failure.toString());
                                    return Future.succeededFuture(serviceUnavailable(context, route));
                                });
                    }
                });
    }

    /**
     * A request to {@code replica} or, if no connection to it can be had, to the next replica, as
     * long as some of the {@code untried} ones (this one included) are left. The proxy sends
     * nothing before this succeeds, so moving on to another replica cannot send the request twice.
     */
    private static Future<HttpClientRequest> connect(ProxyContext context, Replicas replicas, int replica, int untried) {
        SocketAddress origin = SocketAddress.inetSocketAddress(replicas.ports().get(replica), FreePorts.HOST);
        return context.client().request(new RequestOptions().setServer(origin).setIdleTimeout(IDLE_TIMEOUT_MILLIS))
                .onSuccess(request -> context.set(REPLICA_HEADER, replicas.name(replica)))
                .recover(failure -> {
                    if (untried == 1) {
                        return Future.failedFuture(failure);
                    }
                    LOG.debug("{} unavailable, trying the next replica: {}", replicas.name(replica), failure.toString());
                    return connect(context, replicas, (replica + 1) % replicas.ports().size(), untried - 1);
                });
    }

    private static ProxyResponse serviceUnavailable(ProxyContext context, Route route) {
        String requestId = UUID.randomUUID().toString();
        return context.request().release().response()
                .setStatusCode(503)
                .putHeader("Content-Type", "application/json")
                .putHeader(REQUEST_ID_HEADER, requestId)
                .setBody(Body.body(errorBody("service_unavailable",
                        "The service serving " + route.prefix() + "* is unavailable; retry shortly", requestId)));
    }

    private static Buffer errorBody(String type, String message, String requestId) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("type", type);
        error.put("message", message);
        error.put("request_id", requestId);
        body.put("ok", false);
        try {
            return Buffer.buffer(JSON.writeValueAsBytes(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
