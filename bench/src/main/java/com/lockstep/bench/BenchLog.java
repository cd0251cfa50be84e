package com.lockstep.bench;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A benchmark's running commentary: each line stamped with the time and the load average, printed, and kept for the report. */
final class BenchLog {

    private final List<String> lines = new ArrayList<>();

    synchronized void say(String line) {
        String stamped = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  " + line
                + "  [load " + Proc.loadAverageText() + "]";
        lines.add(stamped);
        System.out.println(stamped);
        System.out.flush();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
