package io.sluice.stack.fault;

import java.time.Duration;
import java.util.Locale;

/**
 * One line of the fault table, as the fault suite and {@code sluice bench soak} print it: a
 * {@code FAULT | ...} line for people and the same figures as a JSON object.
 *
 * @param workload   backfill, etl or dcb
 * @param fault      what was done, e.g. "broker restart (SIGTERM)" or "PostgreSQL outage 10 s"
 * @param sent       items sent into the pipeline when the fault began (DIDs published, changes produced,
 *                   appends sent)
 * @param pending    of those, the ones not yet in PostgreSQL then: the work in flight
 * @param injected   faults injected: restarts, or connections cut and attempts refused
 * @param lost       expected items absent at the end
 * @param duplicated items present more than once at the end
 * @param recovery   from the fault's end until PostgreSQL moved again
 * @param restarts   components that stopped on their own and were started again, as their supervisor would
 */
public record FaultRow(String workload, String fault, long sent, long pending, long injected, long lost, long duplicated,
                       Duration recovery, long restarts) {

    public static final String HEADER =
            "FAULT | workload | fault | sent | not yet in PostgreSQL | injected | lost | duplicated | recovery | restarts";

    public String line() {
        return String.format(Locale.ROOT, "FAULT | %-8s | %-26s | %6d sent | %6d not yet in PostgreSQL | %3d injected "
                        + "| %d lost | %d duplicated | %5.1f s recovery | %d restarts",
                workload, fault, sent, pending, injected, lost, duplicated, recovery.toMillis() / 1000.0, restarts);
    }

    public String json() {
        return String.format(Locale.ROOT, "{\"workload\": %s, \"fault\": %s, \"sent\": %d, \"inFlight\": %d, "
                        + "\"injected\": %d, \"lost\": %d, \"duplicated\": %d, \"recoverySeconds\": %.1f, \"restarts\": %d}",
                quote(workload), quote(fault), sent, pending, injected, lost, duplicated, recovery.toMillis() / 1000.0,
                restarts);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
