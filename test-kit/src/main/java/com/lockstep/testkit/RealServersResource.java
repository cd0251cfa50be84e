package com.lockstep.testkit;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test the JVM's {@link RealServers} and a database of its own:
 * {@code @WithTestResource(value = RealServersResource.class, scope = TestResourceScope.GLOBAL,
 * initArgs = @ResourceArg(name = RealServersResource.DATABASE, value = "phone"))}.
 */
public class RealServersResource implements QuarkusTestResourceLifecycleManager {

    /** Init arg: the service's database, created if missing. */
    public static final String DATABASE = "database";
    public static final String DEFAULT_DATABASE = "lockstep";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE, DEFAULT_DATABASE);
    }

    @Override
    public Map<String, String> start() {
        RealServers servers = RealServers.get();
        servers.postgres().createDatabase(database);
        return Map.of(
                "lockstep.kafka.bootstrap-servers", servers.kafka().bootstrapServers(),
                "lockstep.registry.url", servers.apicurio().url(),
                "quarkus.datasource.jdbc.url", servers.postgres().jdbcUrl(database),
                "quarkus.datasource.username", servers.postgres().username(),
                "quarkus.datasource.password", servers.postgres().password(),
                // No Docker here: Dev Services must not try to start containers.
                "quarkus.devservices.enabled", "false");
    }

    /**
     * Quarkus stops its test resources when it stops the application (at the end of the run, or
     * before starting the application of another test profile, which loads test-kit anew and so
     * starts servers of its own). Stopping them here keeps profiles from piling up servers.
     */
    @Override
    public void stop() {
        RealServers.stop();
    }
}
