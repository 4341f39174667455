package io.sluice.cli;

import io.sluice.common.client.RegistrySettings;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The check {@code sluice stack} runs before it says "up", against services that answer. */
@WithSluiceStack
class StackCheckIT {

    @Test
    void servicesThatAnswerHaveNoProblems(TestStack stack) {
        assertThat(new StackCheck(Duration.ofSeconds(15)).problems(Optional.of(stack.connection()),
                Optional.of(new RegistrySettings(stack.registryUrl(), Map.of())), Optional.of(stack.postgres())))
                .isEmpty();
    }

    @Test
    void aRegistryUrlThatIsNotARegistryIsAProblem(TestStack stack) {
        // the registry's host and port, but not its Confluent-compatible API
        String wrong = stack.registryUrl().replaceFirst("/apis/ccompat/v7.*$", "/nothing-here");

        assertThat(new StackCheck(Duration.ofSeconds(15)).problems(Optional.empty(),
                Optional.of(new RegistrySettings(wrong, Map.of())), Optional.empty()))
                .singleElement().asString().startsWith("schema registry:").contains("nothing-here");
    }
}
