package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.local.LocalPlatform;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import com.lockstep.testkit.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lost-phone flow across a crash: 1,000 phones, each holding a child of its owner's
 * multi-phone-sync credential, are deactivated in a stream from several threads, and
 * credential-service is killed (SIGKILL) while it is revoking their credentials, then restarted.
 * Afterwards every credential issued to a deactivated phone is revoked, {@code
 * lockstep.acs_credential.events} carries exactly one {@code acs_credential.deleted} per revoked
 * credential (one event: a copy the outbox relay re-sends after a crash has the same event_id),
 * and nothing else was deleted: not the children on the phones that stayed active, not the
 * parents, not the PIN codes.
 * <p>
 * Everything goes through the platform's HTTP API (the sandbox workspace and its ASSA ABLOY
 * credential manager); the topic is read as a downstream consumer would, Avro through the registry.
 */
class CredentialServiceCrashTest {

    private static final String CREDENTIAL_SERVICE = "credential-service";
    /** credential-service's consumer of phone.registered and phone.deactivated (PhonesConsumer). */
    private static final String PHONE_FLOWS_GROUP = "credential-service.phone-credentials";
    /** device-gateway's consumer that programs and removes credentials on the ACS (AcsCredentialsConsumer). */
    private static final String DEVICE_GATEWAY_GROUP = "device-gateway.acs-credentials";

    /** Each identity has {@link #LOST_PHONES_PER_IDENTITY} phones that are deactivated: 1,000 in all. */
    private static final int IDENTITIES = 500;
    private static final int LOST_PHONES_PER_IDENTITY = 2;
    /** The first identities also have a phone that stays active, whose child must survive. */
    private static final int IDENTITIES_WITH_A_KEPT_PHONE = 200;
    /** The first ACS users also hold a PIN code, which no phone's deactivation may touch. */
    private static final int PIN_CODES = 50;
    private static final int CLIENT_THREADS = 8;

    /** Setup steps wait this long for events to travel (user identities, phones, children). */
    private static final Duration PROPAGATION = Duration.ofSeconds(60);
    /** The killed consumer stays in its group until its session times out (45 s), then the restarted one takes over. */
    private static final Duration CONSUMER_TAKEOVER = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ExecutorService clients;

    /** A sandbox phone and the identity it belongs to; {@code lost} phones are deactivated. */
    private record Phone(String deviceId, String userIdentityId, boolean lost) {
    }

    @BeforeAll
    static void startPlatform() throws IOException {
        temporary = TemporaryPlatform.start("lockstep-credential-service-crash-");
        platform = temporary.platform();
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aCrashInTheMiddleOfAThousandLostPhonesRevokesEachCredentialOnceAndNothingElse() throws Exception {
        clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            run();
        } finally {
            clients.shutdownNow();
        }
    }

    private void run() throws Exception {
        Instant begin = Instant.now();
        String run = Long.toString(System.currentTimeMillis(), 36);
        String acsSystemId = credentialManager();

        // Setup: identities, their phones, an ACS user each (linked), a multi-phone-sync mobile key each.
        List<String> identities = parallel(IntStream.range(0, IDENTITIES).mapToObj(i -> (Callable<String>) () ->
                post("/user_identities/create", json().put("full_name", "Crash " + run + " " + i))
                        .at("/user_identity/user_identity_id").asText()).toList());
        List<Callable<Phone>> phoneCalls = new ArrayList<>();
        for (int i = 0; i < IDENTITIES; i++) {
            String identity = identities.get(i);
            for (int p = 0; p < LOST_PHONES_PER_IDENTITY; p++) {
                phoneCalls.add(() -> newPhone(identity, true));
            }
            if (i < IDENTITIES_WITH_A_KEPT_PHONE) {
                phoneCalls.add(() -> newPhone(identity, false));
            }
        }
        List<Phone> phones = parallel(phoneCalls);
        List<String> acsUsers = parallel(identities.stream().map(identity -> (Callable<String>) () ->
                retryWhileNotFound(() -> post("/acs/users/create", json().put("acs_system_id", acsSystemId)
                        .put("user_identity_id", identity).put("full_name", "Crash " + identity)), "user_identity_not_found",
                        "acs_system_not_found").at("/acs_user/acs_user_id").asText()).toList());
        List<String> parents = parallel(acsUsers.stream().map(acsUser -> (Callable<String>) () ->
                post("/acs/credentials/create", json().put("acs_user_id", acsUser).put("access_method", "mobile_key")
                        .put("is_multi_phone_sync_credential", true)).at("/acs_credential/acs_credential_id").asText()).toList());
        List<String> pinCodes = parallel(acsUsers.subList(0, PIN_CODES).stream().map(acsUser -> (Callable<String>) () ->
                post("/acs/credentials/create", json().put("acs_user_id", acsUser).put("access_method", "code"))
                        .at("/acs_credential/acs_credential_id").asText()).toList());
        Map<String, String> parentOfIdentity = new HashMap<>();
        for (int i = 0; i < IDENTITIES; i++) {
            parentOfIdentity.put(identities.get(i), parents.get(i));
        }

        // Every phone gets its child; the issued events say which child is on which phone.
        int children = phones.size();
        awaitLiveChildren(ids -> ids.size() >= children, PROPAGATION, "a child on each of the " + children + " phones");
        Set<String> listedChildren = liveChildren();
        assertEquals(children, listedChildren.size(), "exactly one child per phone");
        TestEvents events = new TestEvents(platform.kafkaBootstrapServers(), platform.registryUrl());
        events.awaitConsumed(PHONE_FLOWS_GROUP, Topics.PHONE_EVENTS, PROPAGATION);
        Map<String, AcsCredentialIssued> issuedChildren = new HashMap<>();
        Instant issuedDeadline = Instant.now().plus(PROPAGATION);
        while (issuedChildren.size() < children && Instant.now().isBefore(issuedDeadline)) {
            for (ConsumerRecord<String, Object> record : readCredentialTopic()) {
                if (record.value() instanceof AcsCredentialIssued issued && issued.getParentAcsCredentialId() != null) {
                    issuedChildren.put(issued.getAcsCredentialId(), issued);
                }
            }
            if (issuedChildren.size() < children) {
                Thread.sleep(200);
            }
        }
        assertEquals(listedChildren, issuedChildren.keySet(), "acs_credential.issued of every listed child, and of no other child");
        Map<String, String> childOnPhone = new HashMap<>();
        for (AcsCredentialIssued issued : issuedChildren.values()) {
            assertTrue(issued.getDeviceId() != null, "a child names its phone: " + issued);
            String previous = childOnPhone.put(issued.getDeviceId(), issued.getAcsCredentialId());
            assertTrue(previous == null, "one child per phone: " + issued.getDeviceId() + " has " + previous + " and "
                    + issued.getAcsCredentialId());
            assertEquals(parentOfIdentity.get(issued.getUserIdentityId()), issued.getParentAcsCredentialId(),
                    "a child's parent is its identity's multi-phone-sync credential");
        }
        Set<String> toRevoke = new TreeSet<>();
        Set<String> toKeep = new TreeSet<>();
        for (Phone phone : phones) {
            String child = childOnPhone.get(phone.deviceId());
            assertTrue(child != null, "phone " + phone.deviceId() + " holds a child");
            (phone.lost() ? toRevoke : toKeep).add(child);
        }
        assertEquals(IDENTITIES * LOST_PHONES_PER_IDENTITY, toRevoke.size());
        Set<String> deletedBefore = deletedCredentialIds(readCredentialTopic());
        assertEquals(Set.of(), deletedBefore, "nothing was deleted during setup");
        Instant setupDone = Instant.now();
        System.out.printf("[crash-test] setup: %d identities, %d phones, %d children, %d PIN codes in %d s%n", IDENTITIES,
                phones.size(), children, PIN_CODES, Duration.between(begin, setupDone).toSeconds());

        // The stream of deactivations, with credential-service killed while it is revoking.
        List<Phone> lost = new ArrayList<>(phones.stream().filter(Phone::lost).toList());
        Collections.shuffle(lost, new Random(42));
        AtomicInteger deactivated = new AtomicInteger();
        List<Future<?>> stream = new ArrayList<>();
        for (Phone phone : lost) {
            stream.add(clients.submit(() -> {
                post("/phones/deactivate", json().put("device_id", phone.deviceId()));
                deactivated.incrementAndGet();
                return null;
            }));
        }
        // Killed once a good part of the stream was sent and credential-service is busy revoking.
        int revokedAtKill;
        while (true) {
            revokedAtKill = deactivated.get() < lost.size() * 3 / 10 ? 0 : children - liveChildren().size();
            if (revokedAtKill > 0) {
                break;
            }
            if (deactivated.get() == lost.size()) {
                fail("every phone was deactivated before credential-service revoked anything: no crash in the middle");
            }
            Thread.sleep(20);
        }
        int deactivatedAtKill = deactivated.get();
        platform.kill(CREDENTIAL_SERVICE);
        Instant killedAt = Instant.now();
        for (Future<?> call : stream) {
            call.get(2, TimeUnit.MINUTES);
        }
        System.out.printf("[crash-test] killed credential-service after %d of %d deactivations, %d children revoked%n",
                deactivatedAtKill, lost.size(), revokedAtKill);
        assertTrue(deactivatedAtKill < lost.size(), "credential-service was killed in the middle of the stream");
        int deletedOnTopicAtKill = deletedCredentialIds(readCredentialTopic()).size();

        platform.restart(CREDENTIAL_SERVICE);
        Instant restartedAt = Instant.now();
        events.awaitConsumed(PHONE_FLOWS_GROUP, Topics.PHONE_EVENTS, CONSUMER_TAKEOVER);
        Instant caughtUpAt = Instant.now();
        System.out.printf("[crash-test] down %d s; restarted, caught up with the phone topic %d s later; %d deletions were on the"
                        + " topic when it was killed%n", Duration.between(killedAt, restartedAt).toSeconds(),
                Duration.between(restartedAt, caughtUpAt).toSeconds(), deletedOnTopicAtKill);

        // Every credential of a lost phone is revoked; the kept phones' children, the parents and the PIN codes stay.
        Set<String> live = awaitLiveChildren(ids -> Collections.disjoint(ids, toRevoke), Duration.ofSeconds(30),
                "every child of a deactivated phone being revoked");
        assertEquals(toKeep, live, "the children of the phones that stayed active, and only those, are left");
        Set<String> allLive = listCredentials(json()).stream().map(c -> c.get("acs_credential_id").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expectedLive = new TreeSet<>(toKeep);
        expectedLive.addAll(parents);
        expectedLive.addAll(pinCodes);
        assertEquals(expectedLive, allLive, "/acs/credentials/list after the crash");
        for (String child : toRevoke.stream().limit(20).toList()) {
            assertEquals(404, send("/acs/credentials/get", json().put("acs_credential_id", child)).statusCode(),
                    "a revoked credential is not found: " + child);
        }

        // Exactly one acs_credential.deleted per revoked credential, none for anything else.
        List<AcsCredentialDeleted> deletions = new ArrayList<>();
        Instant topicDeadline = Instant.now().plus(Duration.ofSeconds(30));
        do {
            deletions.clear();
            readCredentialTopic().stream().map(ConsumerRecord::value).filter(AcsCredentialDeleted.class::isInstance)
                    .map(AcsCredentialDeleted.class::cast).forEach(deletions::add);
        } while (!deletions.stream().map(AcsCredentialDeleted::getAcsCredentialId).collect(Collectors.toSet()).containsAll(toRevoke)
                && Instant.now().isBefore(topicDeadline) && sleep(200));
        Map<String, Set<String>> eventIdsByCredential = new LinkedHashMap<>();
        for (AcsCredentialDeleted deleted : deletions) {
            eventIdsByCredential.computeIfAbsent(deleted.getAcsCredentialId(), id -> new TreeSet<>()).add(deleted.getEventId());
        }
        assertEquals(toRevoke, eventIdsByCredential.keySet(),
                "acs_credential.deleted for each credential of a deactivated phone, and for no other credential");
        Map<String, Set<String>> twice = eventIdsByCredential.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), twice, "credentials deleted by more than one acs_credential.deleted event");
        Map<String, String> phoneOfChild = childOnPhone.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
        for (AcsCredentialDeleted deleted : deletions) {
            assertEquals(phoneOfChild.get(deleted.getAcsCredentialId()), deleted.getDeviceId(), "the deletion names the lost phone");
            assertEquals(issuedChildren.get(deleted.getAcsCredentialId()).getParentAcsCredentialId(), deleted.getParentAcsCredentialId());
        }

        // device-gateway applied each deletion once: the sandbox ACS dropped each revoked credential, and only those.
        events.awaitConsumed(DEVICE_GATEWAY_GROUP, Topics.ACS_CREDENTIAL_EVENTS, Duration.ofSeconds(60));
        Map<String, JsonNode> held = new HashMap<>();
        JsonNode sandbox = admin("/admin/sandbox/list_acs_credentials", json().put("workspace_id", platform.sandboxWorkspaceId())
                .put("acs_system_id", acsSystemId));
        sandbox.get("sandbox_acs_credentials").forEach(c -> held.put(c.get("acs_credential_id").asText(), c));
        for (String child : toRevoke) {
            JsonNode credential = held.get(child);
            assertTrue(credential != null && !credential.get("is_held").asBoolean(), "the sandbox ACS dropped " + child + ": " + credential);
            assertEquals(1, credential.get("times_programmed").asInt(), "programmed once: " + credential);
            assertEquals(1, credential.get("times_removed").asInt(), "removed once: " + credential);
        }
        for (String credentialId : expectedLive) {
            JsonNode credential = held.get(credentialId);
            assertTrue(credential != null && credential.get("is_held").asBoolean(), "the sandbox ACS holds " + credentialId + ": " + credential);
        }
        long copies = deletions.size() - eventIdsByCredential.size();
        System.out.printf("[crash-test] %d acs_credential.deleted events (%d records: %d copies re-sent by the outbox relay);"
                        + " the test took %d s (%d s after setup)%n", eventIdsByCredential.size(), deletions.size(), copies,
                Duration.between(begin, Instant.now()).toSeconds(), Duration.between(setupDone, Instant.now()).toSeconds());
    }

    /** The sandbox workspace's credential manager, once credential-service knows it. */
    private String credentialManager() throws Exception {
        for (JsonNode system : post("/acs/systems/list", json()).get("acs_systems")) {
            if (system.path("is_credential_manager").asBoolean()) {
                return system.get("acs_system_id").asText();
            }
        }
        return fail("The sandbox workspace has no credential manager");
    }

    private Phone newPhone(String userIdentityId, boolean lost) throws Exception {
        String deviceId = post("/phones/simulate/create_sandbox_phone", json().put("user_identity_id", userIdentityId))
                .at("/phone/device_id").asText();
        return new Phone(deviceId, userIdentityId, lost);
    }

    /** The ids of the live children (credentials with a parent) of the workspace. */
    private Set<String> liveChildren() throws Exception {
        return listCredentials(json().put("is_multi_phone_sync_credential", false)).stream()
                .filter(c -> c.hasNonNull("parent_acs_credential_id"))
                .map(c -> c.get("acs_credential_id").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> awaitLiveChildren(Predicate<Set<String>> done, Duration timeout, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> last;
        do {
            last = liveChildren();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        } while (Instant.now().isBefore(deadline));
        return fail(what + " did not happen within " + timeout.toSeconds() + " s; " + last.size() + " live children");
    }

    /** Every credential of {@code filter}, page by page. */
    private List<JsonNode> listCredentials(ObjectNode filter) throws Exception {
        List<JsonNode> credentials = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode page = filter.deepCopy().put("limit", 5_000);
            if (cursor != null) {
                page.put("page_cursor", cursor);
            }
            JsonNode response = post("/acs/credentials/list", page);
            response.get("acs_credentials").forEach(credentials::add);
            cursor = response.at("/pagination/has_next_page").asBoolean() ? response.at("/pagination/next_page_cursor").asText() : null;
        } while (cursor != null);
        return credentials;
    }

    /** Every record of lockstep.acs_credential.events up to its end as it is now, Avro through the registry. */
    private List<ConsumerRecord<String, Object>> readCredentialTopic() {
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(platform.registryUrl()));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<ConsumerRecord<String, Object>> records = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.ACS_CREDENTIAL_EVENTS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    fail("Could not read " + Topics.ACS_CREDENTIAL_EVENTS + " to its end " + end + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Set<String> deletedCredentialIds(Collection<ConsumerRecord<String, Object>> records) {
        return records.stream().map(ConsumerRecord::value).filter(AcsCredentialDeleted.class::isInstance)
                .map(v -> ((AcsCredentialDeleted) v).getAcsCredentialId()).collect(Collectors.toSet());
    }

    /** Runs the calls on the client threads; returns their results in order, or throws the first failure. */
    private <T> List<T> parallel(List<Callable<T>> calls) throws Exception {
        List<T> results = new ArrayList<>(calls.size());
        try {
            for (Future<T> future : clients.invokeAll(calls)) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return results;
    }

    /**
     * A user identity or an ACS system created elsewhere reaches credential-service through Kafka
     * shortly after: retries while the answer is one of these 404s.
     */
    private JsonNode retryWhileNotFound(Callable<JsonNode> call, String... codes) throws Exception {
        Instant deadline = Instant.now().plus(PROPAGATION);
        while (true) {
            try {
                return call.call();
            } catch (ApiError e) {
                if (e.status != 404 || !Set.of(codes).contains(e.type) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static ObjectNode json() {
        return JSON.createObjectNode();
    }

    /** POST with the sandbox workspace's key; the body of a 200 answer, else an {@link ApiError}. */
    private JsonNode post(String path, ObjectNode body) throws Exception {
        HttpResponse<String> response = send(path, body);
        if (response.statusCode() != 200) {
            JsonNode error = response.body().startsWith("{") ? JSON.readTree(response.body()).path("error") : JSON.missingNode();
            throw new ApiError(response.statusCode(), error.path("type").asText(), "POST " + path + " " + body + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** POST /admin/... with the operator's token. */
    private JsonNode admin(String path, ObjectNode body) throws Exception {
        HttpResponse<String> response = send(path, body, platform.adminToken());
        assertEquals(200, response.statusCode(), "POST " + path + " " + body + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path, ObjectNode body) throws Exception {
        return send(path, body, platform.sandboxApiKey());
    }

    private HttpResponse<String> send(String path, ObjectNode body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class ApiError extends Exception {
        final int status;
        final String type;

        ApiError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }
}
