package io.sluice.testing.secure;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs a secured Kafka cluster: it gets the shared {@link SecuredKafka} (SASL_SSL
 * with SCRAM-SHA-512, mutual TLS) through a parameter. Combine with {@code @WithSluiceStack} for the
 * registry and PostgreSQL.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@ExtendWith(SecuredKafkaExtension.class)
public @interface WithSecuredKafka {
}
