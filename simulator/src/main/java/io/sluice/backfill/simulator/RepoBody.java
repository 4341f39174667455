package io.sluice.backfill.simulator;

import java.io.IOException;
import java.io.OutputStream;

/** A {@code getRepo} response body whose length is known before it is written. */
interface RepoBody {

    long length();

    /** Writes the whole body; may be called any number of times, always writing the same bytes. */
    void writeTo(OutputStream out) throws IOException;

    /** A body held in memory. */
    record InMemory(byte[] car) implements RepoBody {

        @Override
        public long length() {
            return car.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(car);
        }
    }
}
