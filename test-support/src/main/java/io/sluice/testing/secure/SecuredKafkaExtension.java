package io.sluice.testing.secure;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link SecuredKafka} parameter: one secured broker per test run (JVM), started by the first
 * class that asks and shared by the rest, as {@code SluiceStackExtension} shares the plain stack.
 */
public final class SecuredKafkaExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SecuredKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SecuredKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        // The root store closes the broker when the whole test run ends.
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class).kafka;
    }

    private static final class Shared implements ExtensionContext.Store.CloseableResource {
        final SecuredKafka kafka = SecuredKafka.start();

        @Override
        public void close() {
            kafka.close();
        }
    }
}
