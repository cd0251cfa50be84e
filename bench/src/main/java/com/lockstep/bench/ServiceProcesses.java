package com.lockstep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The platform's service processes, as the benchmarks find, time and stop them. */
final class ServiceProcesses {

    private ServiceProcesses() {
    }

    /**
     * The pid of each service: this JVM's children running {@code <module>/target/quarkus-app/quarkus-run.jar},
     * except {@code exclude} (-1 for none); fails if {@code required} is not among them.
     */
    static Map<Long, String> pids(List<String> services, long exclude, String required) {
        Map<Long, String> pids = new LinkedHashMap<>();
        ProcessHandle.current().children().forEach(child -> {
            String command = Proc.commandLine(child.pid());
            for (String service : services) {
                if (child.pid() != exclude && command.contains("/" + service + "/target/quarkus-app/quarkus-run.jar")) {
                    pids.put(child.pid(), service);
                }
            }
        });
        if (!pids.containsValue(required)) {
            throw new IllegalStateException("Could not find the " + required + " process among this JVM's children");
        }
        return pids;
    }

    /** Quarkus's own "started in X.XXXs" from the service's log (the last start), if there. */
    static String quarkusStartTime(Path logFile) {
        try {
            Matcher matcher = Pattern.compile("started in ([0-9.]+)s").matcher(Files.readString(logFile));
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return last == null ? "unknown" : last + " s";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * SIGTERM, as LocalPlatform's own stop does: the service's consumers leave their groups and the
     * relay finishes its batch; SIGKILL if it has not ended within 30 s. False if it had to be killed.
     */
    static boolean stopGracefully(long pid) throws InterruptedException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        process.get().destroy();
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            process.get().destroyForcibly();
            process.get().onExit().join();
            return false;
        }
    }
}
