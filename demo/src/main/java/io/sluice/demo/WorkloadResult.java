package io.sluice.demo;

import java.util.List;

/**
 * What one workload did, counted in PostgreSQL, and the checks of those counts against what its
 * generator or simulator says it produced.
 *
 * @param workload   its name
 * @param items      what it was given: DIDs, users, appends
 * @param rows       the rows it left in PostgreSQL
 * @param seconds    from its start (topics, stages) until the last row was committed
 * @param dlq        records in its dead-letter topic(s)
 * @param violations requests over a simulated host's rate limit; -1 where there is no such limit
 * @param checks     expected vs actual, each compared with PostgreSQL
 */
public record WorkloadResult(String workload, long items, long rows, double seconds, long dlq, long violations,
                             List<Check> checks) {

    public WorkloadResult {
        checks = List.copyOf(checks);
    }

    /** One expected value and the one found. */
    public record Check(String what, String expected, String actual) {

        public static Check of(String what, long expected, long actual) {
            return new Check(what, Long.toString(expected), Long.toString(actual));
        }

        public boolean ok() {
            return expected.equals(actual);
        }
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    public List<Check> mismatches() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }
}
