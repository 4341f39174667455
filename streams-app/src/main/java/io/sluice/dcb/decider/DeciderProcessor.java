package io.sluice.dcb.decider;

import io.sluice.dcb.index.EventIndex;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.Event;
import io.sluice.streams.dlq.RejectedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Set;

/**
 * The decider's one processor: consumes dcb.commands in offset order, has the {@link Decider}
 * decide each command against the stores, and forwards the appended events to
 * {@value DeciderTopology#EVENTS_SINK} and the result to {@value DeciderTopology#RESULTS_SINK}. A
 * command without a value (nothing to answer: no request id) is rejected ({@link DeciderReason#NO_VALUE})
 * for the {@link io.sluice.streams.dlq.DeadLetterHandler} to dead-letter with its original bytes.
 * Store writes and forwarded records commit in one exactly-once transaction, so after a crash
 * neither the index nor the topics show a half-decided command. Before its first decision a task
 * brings its stores up to date from dcb.events ({@link LogCatchUp}), so a reset of the
 * application (stores lost, commands read again) rebuilds them from the log instead of deciding
 * old commands anew.
 */
final class DeciderProcessor implements Processor<String, AppendCommand, Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(DeciderProcessor.class);

    /** Declares the stores with the processor, so the topology connects them without naming them twice. */
    static ProcessorSupplier<String, AppendCommand, Object, Object> supplier(StoreType storeType, DcbLimits limits,
                                                                             EventLog eventLog) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AppendCommand, Object, Object> get() {
                return new DeciderProcessor(limits, eventLog);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return DeciderStores.builders(storeType);
            }
        };
    }

    private final DcbLimits limits;
    private final EventLog eventLog;
    private ProcessorContext<Object, Object> context;
    private EventIndex index;
    private IdempotencyLog idempotency;
    private Decider decider;
    private boolean caughtUp;

    private DeciderProcessor(DcbLimits limits, EventLog eventLog) {
        this.limits = limits;
        this.eventLog = eventLog;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.index = DeciderStores.eventIndex(context);
        this.idempotency = DeciderStores.idempotencyLog(context);
        this.decider = new Decider(index, idempotency, limits);
        this.caughtUp = false;
    }

    @Override
    public void process(Record<String, AppendCommand> record) {
        if (record.value() == null) {
            throw new RejectedRecordException(DeciderReason.NO_VALUE,
                    "command has no value (a tombstone or an empty payload), so there is no request to answer");
        }
        // Before the first decision, not in init: the catch-up writes logged stores, and their
        // changelog records need the context of a record being processed.
        if (!caughtUp) {
            LogCatchUp.run(eventLog, index, idempotency);
            caughtUp = true;
        }
        Decider.Decision decision = decider.decide(record.key(), record.value(), Instant.ofEpochMilli(context.currentSystemTimeMs()));
        for (Event event : decision.events()) {
            context.forward(new Record<Object, Object>(event.getPosition(), event, record.timestamp()), DeciderTopology.EVENTS_SINK);
        }
        context.forward(new Record<Object, Object>(decision.result().getRequestId(), decision.result(), record.timestamp()),
                DeciderTopology.RESULTS_SINK);
    }
}
