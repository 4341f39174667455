package io.sluice.common.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateDirectoryTest {

    @TempDir
    Path base;

    @Test
    void aSecondInstanceGetsItsOwnDirectoryAndAReleasedOneIsTakenAgain() {
        try (StateDirectory first = StateDirectory.claimDefault(base, "sluice-flattener");
             StateDirectory second = StateDirectory.claimDefault(base, "sluice-flattener")) {
            assertThat(first.path()).isEqualTo(base.resolve("sluice-flattener"));
            assertThat(second.path()).isEqualTo(base.resolve("sluice-flattener.2"));
            assertThat(StateDirectory.instances(base, "sluice-flattener")).containsExactly(first.path(), second.path());
            assertThat(StateDirectory.instances(base, "sluice")).isEmpty();
        }
        try (StateDirectory again = StateDirectory.claimDefault(base, "sluice-flattener")) {
            assertThat(again.path()).isEqualTo(base.resolve("sluice-flattener"));
        }
    }

    @Test
    void aChosenDirectoryInUseIsAnErrorThatNamesTheOption() {
        try (StateDirectory held = StateDirectory.claim(base.resolve("mine"), "--state-dir")) {
            assertThatThrownBy(() -> StateDirectory.claim(held.path(), "--state-dir"))
                    .isInstanceOf(StateDirectory.StateDirectoryInUseException.class)
                    .hasMessageContaining(held.path() + " (--state-dir)").hasMessageContaining("in use");
        }
    }

    @Test
    void anApplicationIdThatIsNoFileNameIsRefused() {
        assertThatThrownBy(() -> StateDirectory.claimDefault(base, "../etc")).hasMessageContaining("application id");
    }
}
