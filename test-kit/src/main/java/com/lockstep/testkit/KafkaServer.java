package com.lockstep.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM,
 * tuned to start fast. Its loggers ({@code kafka}, {@code org.apache.kafka},
 * {@code state.change.logger}) are the caller's to set to WARN.
 */
public final class KafkaServer extends LocalServer {

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    /** A broker on free ports, keeping its log in a temporary directory deleted by {@link #close()}. */
    public KafkaServer() {
        this(createTemporaryDirectory("lockstep-kafka-"), true, 0, 0);
    }

    /**
     * A broker keeping its log in {@code logDirectory}, which outlives it.
     *
     * @param port the broker's port, or 0 for a free one
     * @param controllerPort the KRaft controller's port, or 0 for a free one
     */
    public KafkaServer(Path logDirectory, int port, int controllerPort) {
        this(logDirectory, false, port, controllerPort);
    }

    private KafkaServer(Path logDirectory, boolean temporary, int port, int controllerPort) {
        super("Kafka broker", temporary ? logDirectory : null);
        this.logDirectory = logDirectory.toAbsolutePath();
        this.port = FreePort.orPick(port);
        this.controllerPort = FreePort.orPick(controllerPort);
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    /**
     * Creates a topic with replication factor 1 unless it exists already; a compacted topic
     * keeps the latest record per key ({@code cleanup.policy=compact}).
     */
    public void createTopic(String name, int partitions, boolean compacted) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1);
        if (compacted) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        }
    }

    @Override
    protected void startServer() throws IOException {
        Properties config = brokerConfig();
        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            format(config);
        }
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            throw e;
        }
        server = starting;
    }

    @Override
    protected void stopServer() {
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private Properties brokerConfig() {
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        config.put("log.dirs", logDirectory.toString());
        config.put("num.partitions", "3");
        config.put("auto.create.topics.enable", "true");
        // One node: every internal topic has one replica.
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        // Fewer internal partitions than the default 50 make the first group join and the
        // first transaction fast.
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.num.partitions", "5");
        config.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner serves compacted topics; its default 128 MB buffer is far more than tests need.
        config.put("log.cleaner.enable", "true");
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return config;
    }

    /** Writes the cluster id and the single-voter quorum into a new log directory. */
    private void format(Properties config) throws IOException {
        Path configFile = Files.createTempFile("lockstep-kafka-", ".properties");
        try {
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, null);
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode;
            try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exitCode = StorageTool.execute(new String[] {
                    "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString()
                }, printStream);
            }
            if (exitCode != 0) {
                throw new IOException("Formatting " + logDirectory + " failed: " + output.toString(StandardCharsets.UTF_8));
            }
        } finally {
            Files.delete(configFile);
        }
    }
}
