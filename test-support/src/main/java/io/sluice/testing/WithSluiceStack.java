package io.sluice.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an integration test class: it gets the shared stack (real Kafka broker, Apicurio registry,
 * PostgreSQL) and a fresh PostgreSQL database of its own, through a {@link TestStack} parameter.
 * Which stack: {@link Stack#CONFIGURED} by {@code SLUICE_TEST_STACK} (embedded unless it says
 * {@code containers}); {@link Stack#CONTAINERS} always the containers one, for the tests of the
 * containers path itself (skipped without a Docker daemon, except under {@code CI=true}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@ExtendWith(SluiceStackExtension.class)
public @interface WithSluiceStack {

    Stack value() default Stack.CONFIGURED;

    enum Stack { CONFIGURED, CONTAINERS }
}
