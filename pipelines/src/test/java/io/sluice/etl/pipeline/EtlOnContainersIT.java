package io.sluice.etl.pipeline;

import io.sluice.testing.WithSluiceStack;

/**
 * The same test against Kafka, the schema registry and PostgreSQL as containers, whatever
 * {@code SLUICE_TEST_STACK} says (issue 14): the ETL (flattener and sink over generated user changes)
 * on the containers path. Skipped without a Docker daemon, except under {@code CI=true}.
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
class EtlOnContainersIT extends EtlPipelineIT {
}
