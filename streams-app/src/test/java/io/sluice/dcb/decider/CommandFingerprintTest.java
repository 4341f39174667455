package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import org.junit.jupiter.api.Test;

import static io.sluice.dcb.decider.CommandFixtures.append;
import static io.sluice.dcb.decider.CommandFixtures.conditional;
import static io.sluice.dcb.decider.CommandFixtures.event;
import static io.sluice.dcb.decider.CommandFixtures.failIf;
import static io.sluice.dcb.decider.CommandFixtures.keyed;
import static io.sluice.dcb.decider.CommandFixtures.retry;
import static io.sluice.dcb.decider.CommandFixtures.tags;
import static io.sluice.dcb.decider.CommandFixtures.types;
import static org.assertj.core.api.Assertions.assertThat;

class CommandFingerprintTest {

    private final AppendCommand command = conditional("r1", failIf(3L, types("A"), tags("x")), event("A", "x", "y"));

    @Test
    void aRetryHasTheSameFingerprint() {
        assertThat(CommandFingerprint.of(retry(keyed(command, "k"), "r2"))).isEqualTo(CommandFingerprint.of(command));
    }

    @Test
    void anyChangeToWhatIsAskedChangesIt() {
        long original = CommandFingerprint.of(command);
        assertThat(CommandFingerprint.of(conditional("r1", failIf(4L, types("A"), tags("x")), event("A", "x", "y")))).isNotEqualTo(original);
        assertThat(CommandFingerprint.of(conditional("r1", failIf(null, types("A"), tags("x")), event("A", "x", "y")))).isNotEqualTo(original);
        assertThat(CommandFingerprint.of(conditional("r1", failIf(3L, types("A")), event("A", "x", "y")))).isNotEqualTo(original);
        assertThat(CommandFingerprint.of(conditional("r1", failIf(3L, types("A"), tags("x")), event("A", "xy")))).isNotEqualTo(original);
        assertThat(CommandFingerprint.of(append("r1", event("A", "x", "y")))).isNotEqualTo(original);
        assertThat(CommandFingerprint.of(append("r1", event("ab", "c")))).isNotEqualTo(CommandFingerprint.of(append("r1", event("a", "bc"))));
    }
}
