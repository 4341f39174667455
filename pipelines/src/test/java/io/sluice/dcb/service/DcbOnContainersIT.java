package io.sluice.dcb.service;

import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.containers.ContainersStack;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same test against Kafka, the schema registry and PostgreSQL as containers, whatever
 * {@code SLUICE_TEST_STACK} says (issue 14): the DCB store (20 writers with conditions, every condition checked)
 * on the containers path. Skipped without a Docker daemon, except under {@code CI=true}.
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
class DcbOnContainersIT extends DcbConsistencyIT {

    /** The inherited test runs against the containers' broker, not the embedded one's. */
    @BeforeEach
    void runsOnTheContainers(TestStack stack, ContainersStack containers) {
        assertThat(stack.bootstrapServers()).isEqualTo(containers.bootstrapServers());
    }
}
