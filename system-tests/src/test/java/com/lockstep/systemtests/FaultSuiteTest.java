package com.lockstep.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lockstep.events.acs_credential.AcsCredentialDeleted;
import com.lockstep.events.acs_credential.AcsCredentialInvalidated;
import com.lockstep.events.acs_credential.AcsCredentialIssued;
import com.lockstep.events.acs_system.AcsSystemAdded;
import com.lockstep.events.acs_system.AcsSystemConnected;
import com.lockstep.events.acs_system.AcsSystemDisconnected;
import com.lockstep.events.acs_user.AcsUserCreated;
import com.lockstep.events.acs_user.AcsUserDeleted;
import com.lockstep.events.acs_user.AcsUserUpdated;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationDeleted;
import com.lockstep.events.enrollment_automation.EnrollmentAutomationLaunched;
import com.lockstep.events.phone.PhoneDeactivated;
import com.lockstep.events.phone.PhoneRegistered;
import com.lockstep.events.user_identity.UserIdentityAcsUserAdded;
import com.lockstep.events.user_identity.UserIdentityAcsUserRemoved;
import com.lockstep.events.user_identity.UserIdentityCreated;
import com.lockstep.events.user_identity.UserIdentityDeleted;
import com.lockstep.events.user_identity.UserIdentityUpdated;
import com.lockstep.local.LocalPlatform;
import com.lockstep.local.Services;
import com.lockstep.schemas.Topics;
import com.lockstep.schemas.registry.SerdeConfig;
import com.lockstep.testkit.TestEvents;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6's fault suite. During a stream of 2,000 lost phones (3 credentials each), every service is
 * killed in turn with SIGKILL and restarted, then the Kafka broker is restarted, then PostgreSQL is
 * stopped and started again. After each phase (the stream is paused only for the check):
 * <ul>
 * <li>every credential of a deactivated phone is revoked (out of {@code /acs/credentials/list}),
 * and nothing else: the children of the phones that stay active and the parents remain;</li>
 * <li>{@code lockstep.acs_credential.events} holds exactly one {@code acs_credential.deleted} per
 * revoked credential: one event_id per credential (a relay's re-send is a copy with the same
 * event_id), none for anything else; likewise one {@code phone.deactivated} per lost phone and one
 * {@code acs_credential.issued} per credential;</li>
 * <li>exactly once in effect: every consumer group's {@code processed_event} rows are exactly the
 * event_ids of the events it applies that its topics carry (none lost, none invented), the sandbox
 * ACS programmed each credential once and removed each revoked one once, and the projections
 * (identity-service's phones and credentials, phone-service's issued credentials) agree with
 * credential-service;</li>
 * <li>nothing is stuck: every consumer group has caught up, every outbox is empty, no dead letter.</li>
 * </ul>
 * While PostgreSQL is down the API answers Seam's 503 {@code service_unavailable} within
 * {@link #QUICK} and never hangs; everything recovers without a manual step. The time each fault
 * takes to recover is printed ({@code [fault-suite]} lines).
 * <p>
 * Setup goes through the HTTP API from {@link #SEED_THREADS} threads. The four service kills overlap
 * (the next is killed once the previous one is ready again): a killed consumer holds its partitions
 * until its Kafka session times out (45 s), and waiting for that four times in a row would double
 * the suite's time. Their groups are independent, so each kill's recovery is still measured on its
 * own.
 */
class FaultSuiteTest {

    private static final String IDENTITY = Services.IDENTITY;
    private static final String PHONE = "phone-service";
    private static final String DEVICE_GATEWAY = Services.DEVICE_GATEWAY;
    private static final String CREDENTIAL = "credential-service";
    /** The order of the kills: credential-service first, so that it surely dies while it revokes. */
    private static final List<String> KILL_ORDER = List.of(CREDENTIAL, DEVICE_GATEWAY, PHONE, IDENTITY);

    private static final int IDENTITIES = 500;
    /** 500 x 4 = the 2,000 lost phones. */
    private static final int LOST_PHONES_PER_IDENTITY = 4;
    /** These identities also have a phone that stays active: its children must survive. */
    private static final int IDENTITIES_WITH_A_KEPT_PHONE = 100;
    /** Multi-phone-sync mobile keys per identity: each phone holds a child of each. */
    private static final int PARENTS_PER_IDENTITY = 3;
    private static final int SEED_THREADS = 8;
    private static final int STREAM_THREADS = 8;
    /** Deactivations per second, offered at a steady pace (a backlog after an outage is sent at once). */
    private static final double STREAM_RATE = 14;
    /** How many of the lost phones each phase deactivates; the rest go in the PostgreSQL phase. */
    private static final int SERVICE_KILLS_SEGMENT = 1_100;
    private static final int KAFKA_SEGMENT = 450;
    /** Into a phase's stream before its first fault. */
    private static final Duration BEFORE_FAULT = Duration.ofSeconds(5);
    private static final Duration POSTGRES_DOWN = Duration.ofSeconds(8);
    /** While PostgreSQL is down, an answer must come within this. */
    private static final Duration QUICK = Duration.ofSeconds(3);
    /** A request that takes longer counts as hanging. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROPAGATION = Duration.ofSeconds(90);
    /** Covers a killed consumer's session timeout (45 s) and the backlog behind it. */
    private static final Duration RECOVERY = Duration.ofSeconds(150);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A consumer group: its service, its topic, the events it applies (null: a state topic, no processed_event). */
    private record Group(String service, String name, String topic, Set<Class<?>> applies) {
    }

    /** Every consumer group of the platform (the services' READMEs), with the event types its handlers apply. */
    private static final List<Group> GROUPS = List.of(
            new Group(IDENTITY, "identity-service.phones", Topics.PHONE_EVENTS,
                    Set.of(PhoneRegistered.class, PhoneDeactivated.class)),
            new Group(IDENTITY, "identity-service.credentials", Topics.ACS_CREDENTIAL_EVENTS,
                    Set.of(AcsCredentialIssued.class, AcsCredentialDeleted.class)),
            new Group(IDENTITY, "identity-service.acs-users", Topics.ACS_USER_EVENTS,
                    Set.of(AcsUserCreated.class, AcsUserUpdated.class, AcsUserDeleted.class)),
            new Group(IDENTITY, "identity-service.acs-systems", Topics.ACS_SYSTEM_EVENTS,
                    Set.of(AcsSystemAdded.class, AcsSystemConnected.class, AcsSystemDisconnected.class)),
            new Group(IDENTITY, "identity-service.enrollment-automations", Topics.ENROLLMENT_AUTOMATION_EVENTS,
                    Set.of(EnrollmentAutomationLaunched.class, EnrollmentAutomationDeleted.class)),
            new Group(IDENTITY, "identity-service.devices", Topics.DEVICE_STATE, null),
            new Group(PHONE, "phone-service.issued-credentials", Topics.ACS_CREDENTIAL_EVENTS,
                    Set.of(AcsCredentialIssued.class, AcsCredentialDeleted.class)),
            new Group(DEVICE_GATEWAY, "device-gateway.acs-credentials", Topics.ACS_CREDENTIAL_EVENTS,
                    Set.of(AcsCredentialIssued.class, AcsCredentialDeleted.class, AcsCredentialInvalidated.class)),
            new Group(CREDENTIAL, "credential-service.phone-credentials", Topics.PHONE_EVENTS,
                    Set.of(PhoneRegistered.class, PhoneDeactivated.class)),
            new Group(CREDENTIAL, "credential-service.user-identities", Topics.USER_IDENTITY_EVENTS,
                    Set.of(UserIdentityCreated.class, UserIdentityUpdated.class, UserIdentityDeleted.class)),
            new Group(CREDENTIAL, "credential-service.acs-user-links", Topics.USER_IDENTITY_EVENTS,
                    Set.of(UserIdentityCreated.class, UserIdentityAcsUserAdded.class, UserIdentityAcsUserRemoved.class)),
            new Group(CREDENTIAL, "credential-service.acs-systems", Topics.ACS_SYSTEM_EVENTS,
                    Set.of(AcsSystemAdded.class)));
    /** The event topics the checks read whole. */
    private static final List<String> EVENT_TOPICS = GROUPS.stream().filter(g -> g.applies() != null).map(Group::topic)
            .distinct().toList();

    private static TemporaryPlatform temporary;
    private static LocalPlatform platform;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Instant begin = Instant.now();
    private final List<String> figures = new ArrayList<>();
    private ExecutorService seeders;
    private TestEvents events;

    // What the setup made.
    private String acsSystemId;
    private final List<Phone> phones = new ArrayList<>();
    private final Set<String> parents = new TreeSet<>();
    /** child acs_credential_id -> the child */
    private final Map<String, Child> children = new HashMap<>();
    private final Map<String, List<String>> childrenOfPhone = new HashMap<>();

    private record Phone(String deviceId, String userIdentityId, boolean lost) {
    }

    private record Child(String acsCredentialId, String deviceId, String parentId) {
    }

    /** One HTTP call: when it began, how long it took, its status (-1: no answer within CLIENT_TIMEOUT or no connection). */
    private record Call(String path, Instant start, long millis, int status, String errorType) {
    }

    @BeforeAll
    static void startPlatform() throws IOException {
        temporary = TemporaryPlatform.start("lockstep-fault-suite-");
        platform = temporary.platform();
    }

    @AfterAll
    static void stopPlatform() throws IOException {
        if (temporary != null) {
            temporary.close();
        }
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void everyFaultRevokesEachCredentialOnceLosesNothingAndRecoversAlone() throws Exception {
        seeders = Executors.newFixedThreadPool(SEED_THREADS);
        DeactivationStream stream = new DeactivationStream();
        try {
            events = new TestEvents(platform.kafkaBootstrapServers(), platform.registryUrl());
            seed();
            checkpoint("after setup", stream);

            List<Phone> lost = new ArrayList<>(phones.stream().filter(Phone::lost).toList());
            Collections.shuffle(lost, new Random(6));
            serviceKills(stream, lost.subList(0, SERVICE_KILLS_SEGMENT));
            checkpoint("after the service kills", stream);
            kafkaRestart(stream, lost.subList(SERVICE_KILLS_SEGMENT, SERVICE_KILLS_SEGMENT + KAFKA_SEGMENT));
            checkpoint("after the Kafka restart", stream);
            postgresRestart(stream, lost.subList(SERVICE_KILLS_SEGMENT + KAFKA_SEGMENT, lost.size()));
            checkpoint("after the PostgreSQL restart", stream);
            assertEquals(lost.size(), stream.acked.size(), "every lost phone was deactivated");
        } finally {
            stream.close();
            seeders.shutdownNow();
            System.out.println("[fault-suite] figures:");
            figures.forEach(line -> System.out.println("[fault-suite]   " + line));
            System.out.printf("[fault-suite] the test took %d s%n", Duration.between(begin, Instant.now()).toSeconds());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Setup

    /** Identities, their phones, an ACS user each (linked), 3 multi-phone-sync mobile keys each; waits for the children. */
    private void seed() throws Exception {
        Instant start = Instant.now();
        String run = Long.toString(System.currentTimeMillis(), 36);
        acsSystemId = credentialManager();
        List<String> identities = parallel(IntStream.range(0, IDENTITIES).mapToObj(i -> (Callable<String>) () ->
                post("/user_identities/create", json().put("full_name", "Fault " + run + " " + i))
                        .at("/user_identity/user_identity_id").asText()).toList());
        List<Callable<Object>> calls = new ArrayList<>();
        for (int i = 0; i < IDENTITIES; i++) {
            String identity = identities.get(i);
            int count = LOST_PHONES_PER_IDENTITY + (i < IDENTITIES_WITH_A_KEPT_PHONE ? 1 : 0);
            for (int p = 0; p < count; p++) {
                boolean lost = p < LOST_PHONES_PER_IDENTITY;
                calls.add(() -> new Phone(post("/phones/simulate/create_sandbox_phone", json().put("user_identity_id", identity))
                        .at("/phone/device_id").asText(), identity, lost));
            }
            calls.add(() -> retryWhileNotFound(() -> post("/acs/users/create", json().put("acs_system_id", acsSystemId)
                    .put("user_identity_id", identity).put("full_name", "Fault " + identity)),
                    "user_identity_not_found", "acs_system_not_found").at("/acs_user/acs_user_id").asText());
        }
        List<String> acsUsers = new ArrayList<>();
        for (Object made : parallel(calls)) {
            if (made instanceof Phone phone) {
                phones.add(phone);
            } else {
                acsUsers.add((String) made);
            }
        }
        List<Callable<String>> parentCalls = new ArrayList<>();
        for (String acsUser : acsUsers) {
            for (int k = 0; k < PARENTS_PER_IDENTITY; k++) {
                parentCalls.add(() -> post("/acs/credentials/create", json().put("acs_user_id", acsUser)
                        .put("access_method", "mobile_key").put("is_multi_phone_sync_credential", true))
                        .at("/acs_credential/acs_credential_id").asText());
            }
        }
        parents.addAll(parallel(parentCalls));
        Instant created = Instant.now();

        // Every phone gets a child of each of its identity's parents (in the parent's transaction, or
        // when credential-service reads the phone's registration, whichever comes last).
        int expectedChildren = phones.size() * PARENTS_PER_IDENTITY;
        awaitTrue(() -> count(CREDENTIAL, "SELECT count(*) FROM acs_credential WHERE parent_acs_credential_id IS NOT NULL"
                + " AND deleted_at IS NULL") >= expectedChildren, PROPAGATION, "a child of each parent on each of the phones");
        Map<String, String> identityOfParent = new HashMap<>();
        query(CREDENTIAL, "SELECT c.acs_credential_id::text, u.user_identity_id::text FROM acs_credential c"
                + " JOIN acs_user u ON u.acs_user_id = c.acs_user_id WHERE c.is_multi_phone_sync_credential", rows -> {
                    while (rows.next()) {
                        identityOfParent.put(rows.getString(1), rows.getString(2));
                    }
                    return null;
                });
        query(CREDENTIAL, "SELECT acs_credential_id::text, device_id::text, parent_acs_credential_id::text FROM acs_credential"
                + " WHERE parent_acs_credential_id IS NOT NULL", rows -> {
                    while (rows.next()) {
                        Child child = new Child(rows.getString(1), rows.getString(2), rows.getString(3));
                        children.put(child.acsCredentialId(), child);
                        childrenOfPhone.computeIfAbsent(child.deviceId(), d -> new ArrayList<>()).add(child.acsCredentialId());
                    }
                    return null;
                });
        assertEquals(expectedChildren, children.size(), "3 children per phone, none revoked during setup");
        assertEquals(parents, identityOfParent.keySet(), "the parents made are the multi-phone-sync credentials");
        for (Phone phone : phones) {
            List<String> held = childrenOfPhone.getOrDefault(phone.deviceId(), List.of());
            Set<String> ofParents = held.stream().map(id -> children.get(id).parentId()).collect(Collectors.toSet());
            assertEquals(PARENTS_PER_IDENTITY, ofParents.size(), "phone " + phone.deviceId() + " holds a child of each parent: " + held);
            for (String parent : ofParents) {
                assertEquals(phone.userIdentityId(), identityOfParent.get(parent), "a child's parent is its owner's");
            }
        }
        figures.add(String.format("setup: %d identities, %d phones (%d to lose), %d parents, %d children; created through the"
                        + " HTTP API from %d threads in %.1f s, children complete %.1f s later", IDENTITIES, phones.size(),
                phones.stream().filter(Phone::lost).count(), parents.size(), children.size(), SEED_THREADS,
                seconds(start, created), seconds(created, Instant.now())));
    }

    // ---------------------------------------------------------------------------------------------
    // The faults

    /** Each service killed with SIGKILL in turn and restarted, while the stream goes on. */
    private void serviceKills(DeactivationStream stream, List<Phone> segment) throws Exception {
        DeactivationStream.Segment running = stream.start("service kills", segment);
        Thread.sleep(BEFORE_FAULT.toMillis());
        List<Future<?>> trackers = new ArrayList<>();
        ExecutorService trackerThreads = Executors.newCachedThreadPool();
        try {
            for (String service : KILL_ORDER) {
                int sentAtKill = running.sent();
                long revokedAtKill = count(CREDENTIAL, "SELECT count(*) FROM acs_credential WHERE deleted_at IS NOT NULL");
                Map<String, Set<String>> membersBefore = members(groupsOf(service));
                Instant killed = Instant.now();
                platform.kill(service);
                platform.restart(service);
                Instant ready = Instant.now();
                String what = String.format("SIGKILL %s (after %d of %d deactivations of the phase were sent, %d credentials"
                                + " revoked so far)", service, sentAtKill, segment.size(), revokedAtKill);
                if (service.equals(CREDENTIAL)) {
                    assertTrue(sentAtKill < segment.size() && revokedAtKill > 0,
                            "credential-service is killed while deactivations come and it revokes: " + what);
                }
                trackers.add(trackerThreads.submit(() -> {
                    String groups = awaitTakeover(service, membersBefore, killed);
                    String backlog = awaitBacklog(stream, ready, killed);
                    synchronized (figures) {
                        figures.add(String.format("%s: ready again %.1f s after the kill; %s; %s", what, seconds(killed, ready),
                                groups, backlog));
                    }
                    return null;
                }));
                Thread.sleep(2_000);
            }
            running.await();
            for (Future<?> tracker : trackers) {
                tracker.get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            trackerThreads.shutdownNow();
        }
        figures.add(running.summary());
    }

    /** The broker stopped (controlled shutdown) and started again while the stream goes on. */
    private void kafkaRestart(DeactivationStream stream, List<Phone> segment) throws Exception {
        DeactivationStream.Segment running = stream.start("Kafka restart", segment);
        Thread.sleep(BEFORE_FAULT.toMillis());
        int sentAtStop = running.sent();
        Instant stopping = Instant.now();
        platform.stopKafka();
        Instant stopped = Instant.now();
        platform.startKafka();
        Instant started = Instant.now();
        String groups = awaitEveryGroup(stopping);
        String backlog = awaitBacklog(stream, started, stopping);
        running.await();
        figures.add(String.format("Kafka restart (after %d of %d deactivations of the phase were sent): stopped in %.1f s,"
                        + " serving again %.1f s after the stop began; %s; %s", sentAtStop, segment.size(),
                seconds(stopping, stopped), seconds(stopping, started), groups, backlog));
        figures.add(running.summary());
    }

    /**
     * PostgreSQL stopped for {@link #POSTGRES_DOWN} and started again while the stream goes on. Meanwhile
     * probes of each service's reads and of a write must get a quick Seam 503, never hang.
     */
    private void postgresRestart(DeactivationStream stream, List<Phone> segment) throws Exception {
        Phone deactivatedAlready = phones.stream().filter(p -> stream.acked.containsKey(p.deviceId())).findFirst().orElseThrow();
        Map<String, ObjectNode> probes = new LinkedHashMap<>();
        probes.put("/phones/list", json().put("limit", 1));
        probes.put("/phones/deactivate", json().put("device_id", deactivatedAlready.deviceId()));
        probes.put("/acs/credentials/list", json().put("limit", 1));
        probes.put("/acs/users/list", json().put("limit", 1));
        probes.put("/user_identities/list", json().put("limit", 1));
        probes.put("/acs/systems/list", json());
        probes.put("/devices/list", json().put("limit", 1));
        List<Call> probeCalls = new CopyOnWriteArrayList<>();
        AtomicBoolean probing = new AtomicBoolean(true);
        ExecutorService probeThreads = Executors.newFixedThreadPool(probes.size());
        DeactivationStream.Segment running = stream.start("PostgreSQL restart", segment);
        Instant stopping;
        Instant down;
        Instant starting;
        Instant up;
        try {
            for (Map.Entry<String, ObjectNode> probe : probes.entrySet()) {
                probeThreads.submit(() -> {
                    while (probing.get()) {
                        probeCalls.add(call(probe.getKey(), probe.getValue(), platform.sandboxApiKey()));
                        Thread.sleep(200);
                    }
                    return null;
                });
            }
            Thread.sleep(BEFORE_FAULT.toMillis());
            stopping = Instant.now();
            platform.stopPostgres();
            down = Instant.now();
            Thread.sleep(POSTGRES_DOWN.toMillis());
            starting = Instant.now();
            platform.startPostgres();
            up = Instant.now();
            // Until every probe has been answered 200 again.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!probes.keySet().stream().allMatch(path -> probeCalls.stream().anyMatch(c -> c.path().equals(path)
                    && c.status() == 200 && c.start().isAfter(up))) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
        } finally {
            probing.set(false);
            probeThreads.shutdown();
            probeThreads.awaitTermination(20, TimeUnit.SECONDS);
        }
        String groups = awaitEveryGroup(stopping);
        String backlog = awaitBacklog(stream, up, stopping);
        running.await();

        // While it was down: every probe, and every call of the stream, answered quickly; what needs the database said 503.
        List<Call> whileDown = new ArrayList<>(probeCalls.stream().filter(c -> c.start().isAfter(down)
                && c.start().plusMillis(c.millis()).isBefore(starting)).toList());
        List<Call> streamWhileDown = stream.calls.stream().filter(c -> c.start().isAfter(down)
                && c.start().plusMillis(c.millis()).isBefore(starting)).toList();
        StringBuilder perProbe = new StringBuilder();
        for (String path : probes.keySet()) {
            List<Call> answers = whileDown.stream().filter(c -> c.path().equals(path)).toList();
            Instant recovered = probeCalls.stream().filter(c -> c.path().equals(path) && c.status() == 200 && c.start().isAfter(up))
                    .map(Call::start).min(Comparator.naturalOrder()).orElse(null);
            assertTrue(answers.size() >= 2, "probed " + path + " while PostgreSQL was down: " + answers);
            perProbe.append(String.format("%n      %-24s %3d answers %s, latency max %d ms (median %d); 200 again %s",
                    path, answers.size(), answers.stream().collect(Collectors.groupingBy(c -> c.status() + " " + c.errorType(),
                            TreeMap::new, Collectors.counting())), answers.stream().mapToLong(Call::millis).max().orElse(-1),
                    median(answers.stream().map(Call::millis).toList()),
                    recovered == null ? "never" : String.format("%.1f s after PostgreSQL was up", seconds(up, recovered))));
        }
        figures.add(String.format("PostgreSQL stop (after %d of %d deactivations of the phase were sent): down %.1f s after the"
                        + " stop began, for %.1f s; up %.1f s after the start began; %s; %s; while down, every answer:%s%n"
                        + "      the stream: %d calls while down %s, latency max %d ms", running.sentAt(stopping), segment.size(),
                seconds(stopping, down), seconds(down, starting), seconds(starting, up), groups, backlog, perProbe,
                streamWhileDown.size(), streamWhileDown.stream().collect(Collectors.groupingBy(c -> c.status() + " " + c.errorType(),
                        TreeMap::new, Collectors.counting())), streamWhileDown.stream().mapToLong(Call::millis).max().orElse(-1)));
        figures.add(running.summary());

        for (Call answer : concat(whileDown, streamWhileDown)) {
            assertTrue(answer.status() > 0 && answer.millis() <= QUICK.toMillis(),
                    "while PostgreSQL is down, " + answer.path() + " answers within " + QUICK.toSeconds() + " s: " + answer);
            // /devices/list may answer from device-gateway's in-memory view of the devices.
            boolean fromMemory = answer.path().equals("/devices/list") && answer.status() == 200;
            assertTrue(fromMemory || answer.status() == 503 && "service_unavailable".equals(answer.errorType()),
                    "while PostgreSQL is down, " + answer.path() + " answers Seam's 503 service_unavailable: " + answer);
        }
        assertTrue(!streamWhileDown.isEmpty(), "the stream called the API while PostgreSQL was down");
    }

    private static List<String> groupsOf(String service) {
        return GROUPS.stream().filter(g -> g.service().equals(service)).map(Group::name).toList();
    }

    /** The member ids of each group. */
    private static Map<String, Set<String>> members(List<String> groups) throws Exception {
        Map<String, Set<String>> members = new HashMap<>();
        try (Admin admin = admin()) {
            admin.describeConsumerGroups(groups).all().get().forEach((group, description) -> members.put(group,
                    description.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet())));
        }
        return members;
    }

    /**
     * Waits until each of the killed service's groups is stable with its partitions assigned to members of
     * the restarted process only (the killed one's members gone), then until each has consumed what its
     * topic held by then.
     */
    private String awaitTakeover(String service, Map<String, Set<String>> membersBefore, Instant faultBegan) throws Exception {
        Instant deadline = Instant.now().plus(RECOVERY);
        List<String> groups = groupsOf(service);
        try (Admin admin = admin()) {
            while (true) {
                Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all().get();
                boolean takenOver = descriptions.values().stream().allMatch(d -> d.groupState() == GroupState.STABLE
                        && !d.members().isEmpty()
                        && d.members().stream().noneMatch(m -> membersBefore.get(d.groupId()).contains(m.consumerId()))
                        && d.members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));
                if (takenOver) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    fail("The groups of the restarted " + service + " were not taken over within " + RECOVERY.toSeconds() + " s: "
                            + descriptions);
                }
                Thread.sleep(250);
            }
        }
        Instant takenOver = Instant.now();
        for (Group group : GROUPS.stream().filter(g -> g.service().equals(service)).toList()) {
            events.awaitConsumed(group.name(), group.topic(), RECOVERY);
        }
        return String.format("its %d consumer groups were taken over by the new process %.1f s after the kill and caught up"
                + " %.1f s after it", groups.size(), seconds(faultBegan, takenOver), seconds(faultBegan, Instant.now()));
    }

    private String awaitEveryGroup(Instant faultBegan) {
        for (Group group : GROUPS) {
            events.awaitConsumed(group.name(), group.topic(), RECOVERY);
        }
        return String.format("every group caught up %.1f s after the fault began", seconds(faultBegan, Instant.now()));
    }

    /**
     * End to end: waits until every credential of the phones deactivated by {@code recovered} is revoked
     * and off the sandbox ACS. Says how long after {@code faultBegan} that was, and the worst revocation delay.
     */
    private String awaitBacklog(DeactivationStream stream, Instant recovered, Instant faultBegan) throws Exception {
        List<String> deactivated = stream.acked.entrySet().stream().filter(e -> !e.getValue().isAfter(recovered))
                .map(Map.Entry::getKey).toList();
        List<String> credentials = deactivated.stream().flatMap(d -> childrenOfPhone.get(d).stream()).toList();
        awaitTrue(() -> count(DEVICE_GATEWAY, "SELECT count(*) FROM sandbox_acs_credential WHERE acs_credential_id = ANY (?::uuid[])"
                + " AND times_removed > 0", credentials) == credentials.size(), RECOVERY,
                "the credentials of the " + deactivated.size() + " phones deactivated by " + recovered + " being off the ACS");
        return String.format("the credentials of the %d phones deactivated by then were off the ACS %.1f s after the fault began",
                deactivated.size(), seconds(faultBegan, Instant.now()));
    }

    // ---------------------------------------------------------------------------------------------
    // The checks

    /** With the stream paused: everything consistent, caught up and drained. */
    private void checkpoint(String label, DeactivationStream stream) throws Exception {
        Instant start = Instant.now();
        Set<String> lostPhones = new TreeSet<>(stream.acked.keySet());
        Set<String> revoked = lostPhones.stream().flatMap(d -> childrenOfPhone.get(d).stream()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> live = new TreeSet<>(parents);
        children.keySet().stream().filter(id -> !revoked.contains(id)).forEach(live::add);

        // (d) Nothing stuck: the outboxes drain, every group catches up.
        for (String service : platform.services()) {
            awaitTrue(() -> count(service, "SELECT count(*) FROM outbox_event") == 0, RECOVERY, service + "'s outbox draining " + label);
        }
        for (Group group : GROUPS) {
            events.awaitConsumed(group.name(), group.topic(), RECOVERY);
        }
        Set<String> otherGroups = awaitOtherGroups();
        Map<String, List<ConsumerRecord<String, Object>>> topics = new HashMap<>();
        for (String topic : EVENT_TOPICS) {
            topics.put(topic, readTopic(topic));
        }
        assertNoDeadLetters(label);

        // (a) What credential-service holds and lists: exactly the expected live credentials.
        Set<String> liveInDatabase = strings(CREDENTIAL, "SELECT acs_credential_id::text FROM acs_credential WHERE deleted_at IS NULL");
        assertSameSet(live, liveInDatabase, label + ": live credentials in credential-service's database");
        Set<String> listed = listCredentials().stream().map(c -> c.get("acs_credential_id").asText()).collect(Collectors.toSet());
        assertSameSet(live, listed, label + ": /acs/credentials/list");
        assertSameSet(lostPhones, strings(CREDENTIAL, "SELECT device_id::text FROM phone WHERE deactivated_at IS NOT NULL"),
                label + ": phones credential-service knows as deactivated");

        // (b) Exactly one acs_credential.deleted per revoked credential, none for anything else; one
        // issued per credential; one phone.deactivated per lost phone, one phone.registered per phone.
        List<ConsumerRecord<String, Object>> credentialRecords = topics.get(Topics.ACS_CREDENTIAL_EVENTS);
        Map<String, Set<String>> deletedIds = eventIdsBy(credentialRecords, AcsCredentialDeleted.class,
                e -> ((AcsCredentialDeleted) e).getAcsCredentialId());
        Map<String, Set<String>> issuedIds = eventIdsBy(credentialRecords, AcsCredentialIssued.class,
                e -> ((AcsCredentialIssued) e).getAcsCredentialId());
        assertSameSet(revoked, deletedIds.keySet(), label + ": credentials with an acs_credential.deleted");
        assertOneEach(deletedIds, label + ": acs_credential.deleted event_ids per credential");
        Set<String> allCredentials = new TreeSet<>(parents);
        allCredentials.addAll(children.keySet());
        assertSameSet(allCredentials, issuedIds.keySet(), label + ": credentials with an acs_credential.issued");
        assertOneEach(issuedIds, label + ": acs_credential.issued event_ids per credential");
        for (ConsumerRecord<String, Object> record : credentialRecords) {
            if (record.value() instanceof AcsCredentialDeleted deleted) {
                Child child = children.get(deleted.getAcsCredentialId());
                assertEquals(child.deviceId(), deleted.getDeviceId(), "the deletion names the lost phone: " + deleted);
                assertEquals(child.parentId(), deleted.getParentAcsCredentialId(), "the deletion names the parent: " + deleted);
            }
        }
        List<ConsumerRecord<String, Object>> phoneRecords = topics.get(Topics.PHONE_EVENTS);
        Map<String, Set<String>> deactivatedIds = eventIdsBy(phoneRecords, PhoneDeactivated.class, e -> ((PhoneDeactivated) e).getDeviceId());
        Map<String, Set<String>> registeredIds = eventIdsBy(phoneRecords, PhoneRegistered.class, e -> ((PhoneRegistered) e).getDeviceId());
        assertSameSet(lostPhones, deactivatedIds.keySet(), label + ": phones with a phone.deactivated");
        assertOneEach(deactivatedIds, label + ": phone.deactivated event_ids per phone");
        assertSameSet(phones.stream().map(Phone::deviceId).collect(Collectors.toSet()), registeredIds.keySet(),
                label + ": phones with a phone.registered");
        assertOneEach(registeredIds, label + ": phone.registered event_ids per phone");

        // (c) Exactly once in effect: each group processed each event it applies, once (the primary key),
        // and none that is not on its topic.
        StringBuilder processedCounts = new StringBuilder();
        for (Group group : GROUPS) {
            if (group.applies() == null) {
                continue;
            }
            Set<String> published = topics.get(group.topic()).stream().filter(r -> r.value() != null
                    && group.applies().contains(r.value().getClass())).map(r -> eventId(r.value())).collect(Collectors.toSet());
            Map<String, Long> processed = new HashMap<>();
            query(group.service(), "SELECT event_id::text, count(*) FROM processed_event WHERE consumer = ? GROUP BY event_id", rows -> {
                while (rows.next()) {
                    processed.put(rows.getString(1), rows.getLong(2));
                }
                return null;
            }, group.name());
            assertEquals(Map.of(), processed.entrySet().stream().filter(e -> e.getValue() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), label + ": " + group.name() + " processed an event twice");
            assertSameSet(published, processed.keySet(), label + ": event_ids " + group.name() + " processed vs. those on " + group.topic());
            processedCounts.append(' ').append(group.name()).append('=').append(processed.size());
        }
        // The sandbox ACS: each credential programmed once; each revoked one removed once, the others held.
        Map<String, int[]> sandbox = new HashMap<>();
        query(DEVICE_GATEWAY, "SELECT acs_credential_id::text, times_programmed, times_removed, removed_at IS NULL"
                + " FROM sandbox_acs_credential WHERE acs_system_id = ?::uuid", rows -> {
                    while (rows.next()) {
                        sandbox.put(rows.getString(1), new int[] {rows.getInt(2), rows.getInt(3), rows.getBoolean(4) ? 1 : 0});
                    }
                    return null;
                }, acsSystemId);
        assertSameSet(allCredentials, sandbox.keySet(), label + ": credentials the sandbox ACS was asked to program");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, int[]> entry : sandbox.entrySet()) {
            int[] c = entry.getValue();
            boolean shouldBeRemoved = revoked.contains(entry.getKey());
            if (c[0] != 1 || c[1] != (shouldBeRemoved ? 1 : 0) || c[2] != (shouldBeRemoved ? 0 : 1)) {
                wrong.add(entry.getKey() + " programmed " + c[0] + ", removed " + c[1] + (c[2] == 1 ? ", held" : ", not held")
                        + (shouldBeRemoved ? " (revoked)" : " (live)"));
            }
        }
        assertEquals(List.of(), wrong.stream().limit(20).toList(), label + ": " + wrong.size() + " credentials on the sandbox ACS"
                + " not programmed once and removed once if revoked");
        // The projections agree with credential-service.
        assertSameSet(live, strings(IDENTITY, "SELECT acs_credential_id::text FROM credential"), label + ": identity-service's credentials");
        Set<String> liveChildren = new TreeSet<>(live);
        liveChildren.removeAll(parents);
        assertSameSet(liveChildren, strings(PHONE, "SELECT acs_credential_id::text FROM issued_credential"),
                label + ": phone-service's issued credentials");
        assertSameSet(lostPhones, strings(IDENTITY, "SELECT device_id::text FROM phone WHERE deactivated"),
                label + ": phones identity-service knows as deactivated");
        assertSameSet(lostPhones, strings(PHONE, "SELECT device_id::text FROM phone WHERE deactivated_at IS NOT NULL"),
                label + ": phones phone-service holds as deactivated");

        long copies = credentialRecords.size() - credentialRecords.stream().map(r -> eventId(r.value())).distinct().count();
        figures.add(String.format("check %s: %d of %d lost phones deactivated, %d credentials revoked, %d live; %d records on %s"
                        + " (%d copies re-sent with the same event_id); processed_event rows:%s%s; checked in %.1f s", label,
                lostPhones.size(), phones.stream().filter(Phone::lost).count(), revoked.size(), live.size(),
                credentialRecords.size(), Topics.ACS_CREDENTIAL_EVENTS, copies, processedCounts,
                otherGroups.isEmpty() ? "" : "; other groups caught up: " + otherGroups, seconds(start, Instant.now())));
    }

    /** Any group the table above does not know (a new consumer, say) must have caught up too. */
    private Set<String> awaitOtherGroups() throws Exception {
        Set<String> known = GROUPS.stream().map(Group::name).collect(Collectors.toSet());
        Set<String> others = new TreeSet<>();
        try (Admin admin = admin()) {
            for (ConsumerGroupListing listing : admin.listConsumerGroups().all().get()) {
                if (known.contains(listing.groupId())) {
                    continue;
                }
                others.add(listing.groupId());
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(listing.groupId())
                        .partitionsToOffsetAndMetadata().get();
                for (String topic : committed.keySet().stream().map(TopicPartition::topic).collect(Collectors.toSet())) {
                    events.awaitConsumed(listing.groupId(), topic, RECOVERY);
                }
            }
        }
        return others;
    }

    /** No consumer dead-lettered anything: every {@code .dlq} topic is empty. */
    private void assertNoDeadLetters(String label) throws Exception {
        try (Admin admin = admin()) {
            Set<String> deadLetterTopics = admin.listTopics().names().get().stream().filter(t -> t.endsWith(".dlq")).collect(Collectors.toSet());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(deadLetterTopics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<String, Long> deadLetters = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> {
                if (info.offset() > 0) {
                    deadLetters.merge(partition.topic(), info.offset(), Long::sum);
                }
            });
            if (!deadLetters.isEmpty()) {
                List<String> reasons = new ArrayList<>();
                for (String topic : deadLetters.keySet()) {
                    events.readRawUntil(topic, records -> records.size() >= deadLetters.get(topic), Duration.ofSeconds(10)).stream()
                            .limit(5).forEach(r -> reasons.add(topic + "@" + r.offset() + ": " + header(r.headers().lastHeader("dlq.consumer"))
                                    + ": " + header(r.headers().lastHeader("dlq.reason"))));
                }
                fail(label + ": dead letters " + deadLetters + ", e.g. " + reasons);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The stream of deactivations

    /** Deactivates phones at a steady pace from several threads, retrying what a fault refuses (5xx, no answer). */
    private final class DeactivationStream implements AutoCloseable {

        final Map<String, Instant> acked = new ConcurrentHashMap<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(STREAM_THREADS);

        final class Segment {
            final String label;
            final List<Phone> phones;
            final List<Instant> sentAt = new CopyOnWriteArrayList<>();
            final List<Future<?>> futures = new ArrayList<>();
            final Instant start = Instant.now();
            final AtomicInteger retried = new AtomicInteger();
            volatile Instant end;

            Segment(String label, List<Phone> phones) {
                this.label = label;
                this.phones = phones;
            }

            int sent() {
                return sentAt.size();
            }

            int sentAt(Instant moment) {
                return (int) sentAt.stream().filter(t -> t.isBefore(moment)).count();
            }

            void await() throws Exception {
                for (Future<?> future : futures) {
                    try {
                        future.get(RECOVERY.toSeconds(), TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        throw e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
                end = Instant.now();
            }

            String summary() {
                List<Long> revocationDelays = new ArrayList<>();
                List<Long> removalDelays = new ArrayList<>();
                try {
                    List<String> credentials = phones.stream().flatMap(p -> childrenOfPhone.get(p.deviceId()).stream()).toList();
                    Map<String, String> phoneOf = new HashMap<>();
                    credentials.forEach(c -> phoneOf.put(c, children.get(c).deviceId()));
                    query(CREDENTIAL, "SELECT acs_credential_id::text, deleted_at FROM acs_credential WHERE acs_credential_id = ANY (?::uuid[])",
                            rows -> {
                                while (rows.next()) {
                                    Timestamp at = rows.getTimestamp(2);
                                    if (at != null) {
                                        revocationDelays.add(Duration.between(acked.get(phoneOf.get(rows.getString(1))), at.toInstant()).toMillis());
                                    }
                                }
                                return null;
                            }, credentials);
                    query(DEVICE_GATEWAY, "SELECT acs_credential_id::text, removed_at FROM sandbox_acs_credential WHERE acs_credential_id = ANY (?::uuid[])",
                            rows -> {
                                while (rows.next()) {
                                    Timestamp at = rows.getTimestamp(2);
                                    if (at != null) {
                                        removalDelays.add(Duration.between(acked.get(phoneOf.get(rows.getString(1))), at.toInstant()).toMillis());
                                    }
                                }
                                return null;
                            }, credentials);
                } catch (Exception e) {
                    return label + " stream: could not read revocation times: " + e;
                }
                return String.format("%s stream: %d deactivations in %.1f s (%.1f/s offered), %d retried after a 5xx or no answer;"
                                + " deactivation answered -> credential revoked: median %d ms, p99 %d ms, max %d ms;"
                                + " -> off the sandbox ACS: median %d ms, p99 %d ms, max %d ms", label, phones.size(),
                        seconds(start, end == null ? Instant.now() : end), STREAM_RATE, retried.get(),
                        percentile(revocationDelays, 50), percentile(revocationDelays, 99), percentile(revocationDelays, 100),
                        percentile(removalDelays, 50), percentile(removalDelays, 99), percentile(removalDelays, 100));
            }
        }

        Segment start(String label, List<Phone> segmentPhones) {
            Segment segment = new Segment(label, segmentPhones);
            for (int i = 0; i < segmentPhones.size(); i++) {
                Phone phone = segmentPhones.get(i);
                long delayMillis = Math.round(i * 1000 / STREAM_RATE);
                segment.futures.add(threads.schedule(() -> {
                    segment.sentAt.add(Instant.now());
                    deactivate(phone, segment);
                    return null;
                }, delayMillis, TimeUnit.MILLISECONDS));
            }
            return segment;
        }

        private void deactivate(Phone phone, Segment segment) throws Exception {
            Instant deadline = Instant.now().plus(RECOVERY);
            while (true) {
                Call call = call("/phones/deactivate", json().put("device_id", phone.deviceId()), platform.sandboxApiKey());
                calls.add(call);
                if (call.status() == 200) {
                    acked.put(phone.deviceId(), Instant.now());
                    return;
                }
                if (call.status() > 0 && call.status() < 500) {
                    throw new AssertionError("POST /phones/deactivate of " + phone.deviceId() + " answered " + call);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("POST /phones/deactivate of " + phone.deviceId() + " still fails after "
                            + RECOVERY.toSeconds() + " s: " + call);
                }
                segment.retried.incrementAndGet();
                Thread.sleep(100);
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP

    /** One POST; never throws: a missing answer is status -1. */
    private Call call(String path, ObjectNode body, String token) {
        Instant start = Instant.now();
        long begin = System.nanoTime();
        int status;
        String errorType = null;
        try {
            HttpResponse<String> response = send(path, body, token);
            status = response.statusCode();
            if (status != 200) {
                errorType = response.body().startsWith("{") ? JSON.readTree(response.body()).path("error").path("type").asText(null) : "(not JSON)";
            }
        } catch (IOException e) {
            status = -1;
            errorType = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
            errorType = "interrupted";
        }
        return new Call(path, start, (System.nanoTime() - begin) / 1_000_000, status, errorType);
    }

    private HttpResponse<String> send(String path, ObjectNode body, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .timeout(CLIENT_TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POST with the sandbox workspace's key; the body of a 200 answer, else an {@link ApiError}. */
    private JsonNode post(String path, ObjectNode body) throws Exception {
        HttpResponse<String> response = send(path, body, platform.sandboxApiKey());
        if (response.statusCode() != 200) {
            JsonNode error = response.body().startsWith("{") ? JSON.readTree(response.body()).path("error") : JSON.missingNode();
            throw new ApiError(response.statusCode(), error.path("type").asText(), "POST " + path + " " + body + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** A user identity or an ACS system reaches credential-service through Kafka shortly after it is made. */
    private JsonNode retryWhileNotFound(Callable<JsonNode> call, String... types) throws Exception {
        Instant deadline = Instant.now().plus(PROPAGATION);
        while (true) {
            try {
                return call.call();
            } catch (ApiError e) {
                if (e.status != 404 || !Set.of(types).contains(e.type) || Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    private String credentialManager() throws Exception {
        for (JsonNode system : post("/acs/systems/list", json()).get("acs_systems")) {
            if (system.path("is_credential_manager").asBoolean()) {
                return system.get("acs_system_id").asText();
            }
        }
        return fail("The sandbox workspace has no credential manager");
    }

    /** Every credential of the workspace, page by page. */
    private List<JsonNode> listCredentials() throws Exception {
        List<JsonNode> credentials = new ArrayList<>();
        String cursor = null;
        do {
            ObjectNode page = json().put("limit", 5_000);
            if (cursor != null) {
                page.put("page_cursor", cursor);
            }
            JsonNode response = post("/acs/credentials/list", page);
            response.get("acs_credentials").forEach(credentials::add);
            cursor = response.at("/pagination/has_next_page").asBoolean() ? response.at("/pagination/next_page_cursor").asText() : null;
        } while (cursor != null);
        return credentials;
    }

    private <T> List<T> parallel(List<Callable<T>> calls) throws Exception {
        List<T> results = new ArrayList<>(calls.size());
        try {
            for (Future<T> future : seeders.invokeAll(calls)) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return results;
    }

    private static ObjectNode json() {
        return JSON.createObjectNode();
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

    // ---------------------------------------------------------------------------------------------
    // Kafka

    /** Every record of the topic up to its end as it is now, Avro through the registry. */
    private List<ConsumerRecord<String, Object>> readTopic(String topic) {
        Map<String, Object> config = new HashMap<>(SerdeConfig.consumer(platform.registryUrl()));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<ConsumerRecord<String, Object>> records = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (info == null || info.isEmpty()) {
                return records;
            }
            List<TopicPartition> partitions = info.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    fail("Could not read " + topic + " to its end " + end + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers()));
    }

    private static String eventId(Object value) {
        Object id = ((GenericRecord) value).get("event_id");
        return id == null ? null : id.toString();
    }

    /** For each aggregate, the distinct event_ids of the events of this type on the records. */
    private static Map<String, Set<String>> eventIdsBy(List<ConsumerRecord<String, Object>> records, Class<?> type,
                                                       Function<Object, String> aggregate) {
        Map<String, Set<String>> ids = new HashMap<>();
        for (ConsumerRecord<String, Object> record : records) {
            if (type.isInstance(record.value())) {
                ids.computeIfAbsent(aggregate.apply(record.value()), a -> new TreeSet<>()).add(eventId(record.value()));
            }
        }
        return ids;
    }

    private static String header(Header header) {
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------------------------
    // The services' databases, read directly

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private static <T> T query(String service, String sql, Rows<T> reader, Object... parameters) throws SQLException {
        try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(service), "postgres", "postgres");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Collection<?> values) {
                    Array array = connection.createArrayOf("text", values.toArray());
                    statement.setArray(i + 1, array);
                } else {
                    statement.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        }
    }

    private static long count(String service, String sql, Object... parameters) throws SQLException {
        return query(service, sql, rows -> {
            rows.next();
            return rows.getLong(1);
        }, parameters);
    }

    private static Set<String> strings(String service, String sql, Object... parameters) throws SQLException {
        return query(service, sql, rows -> {
            Set<String> values = new TreeSet<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }, parameters);
    }

    // ---------------------------------------------------------------------------------------------
    // Small helpers

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition condition, Duration timeout, String what) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                fail(what + " did not happen within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    private static void assertSameSet(Set<String> expected, Set<String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        fail(String.format("%s: expected %d, found %d; %d missing (e.g. %s), %d unexpected (e.g. %s)", what, expected.size(),
                actual.size(), missing.size(), missing.stream().limit(5).toList(), extra.size(), extra.stream().limit(5).toList()));
    }

    private static void assertOneEach(Map<String, Set<String>> idsByAggregate, String what) {
        Map<String, Set<String>> more = idsByAggregate.entrySet().stream().filter(e -> e.getValue().size() != 1)
                .limit(10).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), more, what + ": more than one");
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static long median(List<Long> values) {
        return percentile(values, 50);
    }

    private static long percentile(List<Long> values, int percent) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
