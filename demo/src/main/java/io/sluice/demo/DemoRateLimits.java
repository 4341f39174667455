package io.sluice.demo;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import io.sluice.ops.monitor.MonitorState.HostRate;
import io.sluice.ops.monitor.RateLimitSource;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The demo monitor's per-host rate-limit table. The demo's rate limiter runs in this JVM, inside the
 * backfill's pipeline, which starts after the page and ends before it: the page reads this source
 * from the start (no hosts yet), the backfill {@linkplain #show shows} its limiter while it runs, and
 * once it has ended the page keeps the limiter's last state (with {@code --keep-running}, the final table).
 */
public final class DemoRateLimits implements RateLimitSource {

    /** While a limiter is shown; closing it keeps the limiter's state at that moment. */
    public interface Showing extends AutoCloseable {
        @Override
        void close();
    }

    private final AtomicReference<Supplier<List<HostView>>> live = new AtomicReference<>();
    private volatile List<HostRate> last = List.of();

    /** Shows {@code hosts} (e.g. {@code pipeline::rateLimitHosts}) until the result is closed; close it before the limiter. */
    public Showing show(Supplier<List<HostView>> hosts) {
        Objects.requireNonNull(hosts, "hosts");
        if (!live.compareAndSet(null, hosts)) throw new IllegalStateException("a rate limiter is already shown");
        return () -> {
            last = RateLimitSource.fromViews(hosts.get());
            live.set(null);
        };
    }

    @Override
    public List<HostRate> hosts() {
        Supplier<List<HostView>> hosts = live.get();
        return hosts == null ? last : RateLimitSource.fromViews(hosts.get());
    }
}
