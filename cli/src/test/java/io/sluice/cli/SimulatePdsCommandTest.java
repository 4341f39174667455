package io.sluice.cli;

import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RateLimitPolicy;
import io.sluice.backfill.simulator.RecordCounts;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatePdsCommandTest {

    @Test
    void rateLimitsReadAsRequestsPerWindow() {
        assertThat(SimulatePdsCommand.parseRate("3000/300s")).isEqualTo(new RateLimitPolicy(3000, 300));
        assertThat(SimulatePdsCommand.parseRate("20/s")).isEqualTo(new RateLimitPolicy(20, 1));
        assertThat(SimulatePdsCommand.parseRate("100/1m")).isEqualTo(new RateLimitPolicy(100, 60));
        assertThat(SimulatePdsCommand.parseRate("5000/h")).isEqualTo(new RateLimitPolicy(5000, 3600));
        assertThat(SimulatePdsCommand.parseRate("3000/300")).isEqualTo(new RateLimitPolicy(3000, 300));
        assertThatThrownBy(() -> SimulatePdsCommand.parseRate("3000")).hasMessageContaining("N/[W](s|m|h)");
        assertThatThrownBy(() -> SimulatePdsCommand.parseRate("3000/")).hasMessageContaining("no window");
    }

    @Test
    void recordCountsAreOneNumberOrARange() {
        assertThat(SimulatePdsCommand.recordCounts("500", "uniform")).isEqualTo(RecordCounts.exactly(500));
        assertThat(SimulatePdsCommand.recordCounts("10..200", "skewed")).isEqualTo(RecordCounts.skewed(10, 200));
        assertThatThrownBy(() -> SimulatePdsCommand.recordCounts("10-200", "uniform")).hasMessageContaining("MIN..MAX");
        assertThatThrownBy(() -> SimulatePdsCommand.recordCounts("10", "zipf")).hasMessageContaining("uniform, skewed");
    }

    @Test
    void optionsBecomeTheSimulatorConfig() {
        SimulatePdsCommand command = new SimulatePdsCommand();
        new CommandLine(command).parseArgs("--hosts", "7", "--dids", "70", "--seed", "3", "--records", "5..9",
                "--rate-limit", "20/s", "--latency", "5", "--latency-jitter", "2", "--p5xx", "0.1", "--p-truncated", "0.05",
                "--storm-chance", "0.01", "--storm-ms", "300");
        PdsSimulatorConfig config = command.config();
        assertThat(config.hosts()).isEqualTo(7);
        assertThat(config.dids()).isEqualTo(70);
        assertThat(config.seed()).isEqualTo(3);
        assertThat(config.records()).isEqualTo(RecordCounts.uniform(5, 9));
        assertThat(config.rateLimit()).isEqualTo(new RateLimitPolicy(20, 1));
        assertThat(config.latency().fixedMillis()).isEqualTo(5);
        assertThat(config.faults().p5xx()).isEqualTo(0.1);
        assertThat(config.faults().pTruncated()).isEqualTo(0.05);
        assertThat(config.faults().stormMillis()).isEqualTo(300);
    }

    @Test
    void helpShowsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cli = Sluice.commandLine();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("simulate-pds", "--help")).isZero();
        assertThat(out.toString()).contains("--write-dids", "--rate-limit", "--p429", "--hosts");
    }
}
