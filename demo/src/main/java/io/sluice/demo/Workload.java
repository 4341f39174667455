package io.sluice.demo;

import java.sql.SQLException;

/**
 * One of the three workloads as the demo runs it: started, driven to the end, then checked against
 * PostgreSQL. {@link #done()} is called from another thread while {@link #run()} works.
 */
public interface Workload {

    String name();

    /** What "done" counts ("DIDs", "users", "appends"). */
    String unit();

    /** Items to do. */
    long total();

    /** Items finished so far, counted in PostgreSQL (committed rows only). */
    long done() throws SQLException;

    /** Starts the workload's stages, feeds them, waits for the last row, stops them and checks the tables. */
    WorkloadResult run() throws Exception;
}
