package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.Event;

import java.util.function.Consumer;

/**
 * The committed content of dcb.events, the source of truth the decider's stores are brought up
 * to date from ({@link LogCatchUp}). {@link KafkaEventLog} reads the topic; a test may hand in
 * the events a driver produced.
 */
public interface EventLog {

    /** Hands every committed event with a position above {@code position} to {@code each}, in position order. */
    void eventsAfter(long position, Consumer<Event> each);
}
