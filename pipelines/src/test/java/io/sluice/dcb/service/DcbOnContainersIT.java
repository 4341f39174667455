package io.sluice.dcb.service;

import io.sluice.testing.WithSluiceStack;

/**
 * The same test against Kafka, the schema registry and PostgreSQL as containers, whatever
 * {@code SLUICE_TEST_STACK} says (issue 14): the DCB store (20 writers with conditions, every condition checked)
 * on the containers path. Skipped without a Docker daemon, except under {@code CI=true}.
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
class DcbOnContainersIT extends DcbConsistencyIT {
}
