package io.sluice.testing;

import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackEndpoints;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Gives each test class the stack, started once per test run (JVM) and shared by all classes, and a
 * PostgreSQL database of its own, created before the class and dropped after it.
 */
public final class SluiceStackExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(SluiceStackExtension.class);
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SluiceStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        StackEndpoints shared = sharedStack(context);
        String database = databaseName(context.getRequiredTestClass());
        try (Connection c = shared.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        log.info("test class {} uses database {}", context.getRequiredTestClass().getSimpleName(), database);
        context.getStore(NS).put(TestStack.class,
                new TestStack(shared.bootstrapServers(), shared.registryUrl(), shared.postgres().withDatabase(database)));
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        TestStack stack = context.getStore(NS).remove(TestStack.class, TestStack.class);
        if (stack == null) return;
        try (Connection c = sharedStack(context).postgres().connect(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + stack.postgres().database() + " WITH (FORCE)");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getStore(NS).get(TestStack.class) == null && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        TestStack stack = classContext.getStore(NS).get(TestStack.class, TestStack.class);
        if (stack == null) throw new IllegalStateException("the stack is not started for " + context.getDisplayName());
        return stack;
    }

    private static StackEndpoints sharedStack(ExtensionContext context) {
        // The root store closes the stack when the whole test run ends.
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(SharedStack.class, k -> new SharedStack(), SharedStack.class)
                .stack.endpoints();
    }

    private static String databaseName(Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (name.length() > 40) name = name.substring(0, 40);
        return "it_" + name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static final class SharedStack implements ExtensionContext.Store.CloseableResource {
        final EmbeddedStack stack = EmbeddedStack.start(
                io.sluice.stack.StackConfig.fromEnvironment(System.getenv(), line -> log.info("stack: {}", line)));

        @Override
        public void close() {
            stack.close();
        }
    }

}
