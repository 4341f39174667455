package io.sluice.bench.grpc;

import java.time.Duration;
import java.util.List;

/**
 * What {@code sluice bench grpc} runs, validated here once.
 *
 * @param clients             appends in flight to measure at (HTTP clients, gRPC unary callers, or
 *                            AppendStream ASYNC requests in flight over as few streams as hold them)
 * @param seconds             seconds per measured point of the append series
 * @param readEvents          events one Read returns (seeded first)
 * @param subscribers         idle subscriber counts whose heap is measured
 * @param deliverySubscribers subscribers that the commit-to-delivery time is measured at
 * @param deliveries          events timed for commit-to-delivery (one at a time)
 */
public record GrpcBenchSettings(List<Integer> clients, int seconds, int readEvents, List<Integer> subscribers,
                                int deliverySubscribers, int deliveries) {

    /** The most requests an ASYNC AppendStream keeps in flight (the server's default), and the reference point. */
    public static final int IN_FLIGHT_PER_STREAM = 64;
    /** Subscriptions one instance serves by default ({@code GrpcConfig.defaults}). */
    public static final int MAX_SUBSCRIBERS = 10_000;

    public GrpcBenchSettings {
        clients = List.copyOf(clients);
        subscribers = List.copyOf(subscribers);
        if (clients.isEmpty() || clients.stream().anyMatch(n -> n < 1 || n > 1_000)) {
            throw new IllegalArgumentException("--clients must be 1..1000 each, got " + clients);
        }
        if (seconds < 1) throw new IllegalArgumentException("--seconds must be >= 1, got " + seconds);
        if (readEvents < 1 || readEvents > 100_000_000) {
            throw new IllegalArgumentException("--read-events must be 1..100000000, got " + readEvents);
        }
        if (subscribers.stream().anyMatch(n -> n < 1 || n > MAX_SUBSCRIBERS)) {
            throw new IllegalArgumentException("--subscribers must be 1.." + MAX_SUBSCRIBERS + " each, got " + subscribers);
        }
        if (deliverySubscribers < 1 || deliverySubscribers > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("--delivery-subscribers must be 1.." + MAX_SUBSCRIBERS + ", got " + deliverySubscribers);
        }
        if (deliveries < 1) throw new IllegalArgumentException("--deliveries must be >= 1, got " + deliveries);
    }

    public Duration each() {
        return Duration.ofSeconds(seconds);
    }
}
