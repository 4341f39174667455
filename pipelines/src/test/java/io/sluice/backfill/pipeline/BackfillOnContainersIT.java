package io.sluice.backfill.pipeline;

import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.containers.ContainersStack;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same test against Kafka, the schema registry and PostgreSQL as containers, whatever
 * {@code SLUICE_TEST_STACK} says (issue 14): the backfill (resolver, rate limiter, fetcher and records sink over the PDS simulator)
 * on the containers path. Skipped without a Docker daemon, except under {@code CI=true}.
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
class BackfillOnContainersIT extends BackfillPipelineIT {

    /** The inherited test runs against the containers' broker, not the embedded one's. */
    @BeforeEach
    void runsOnTheContainers(TestStack stack, ContainersStack containers) {
        assertThat(stack.bootstrapServers()).isEqualTo(containers.bootstrapServers());
    }
}
