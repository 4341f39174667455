package io.sluice.testing;

import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;
import io.sluice.testing.containers.ContainerImages;
import io.sluice.testing.containers.ContainersStack;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.testcontainers.DockerClientFactory;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Gives each test class the stack, started once per test run (JVM) and shared by all classes, and a
 * PostgreSQL database of its own, created before the class and dropped after it. The stack is the
 * embedded one, or with {@code SLUICE_TEST_STACK=containers} Kafka, the registry and PostgreSQL as
 * containers ({@link ContainersStack}).
 */
public final class SluiceStackExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(SluiceStackExtension.class);
    /** {@code embedded} (the default) or {@code containers} (Testcontainers; needs a Docker daemon). */
    public static final String STACK_KIND = "SLUICE_TEST_STACK";
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
        Class<?> type = parameterContext.getParameter().getType();
        return type == TestStack.class || type == ContainersStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        if (parameterContext.getParameter().getType() == ContainersStack.class) {
            // For the container fault tests: the stack itself, to kill the broker or pause PostgreSQL.
            if (!(sharedStackOf(context).stack instanceof ContainersStack containers)) {
                throw new IllegalStateException(context.getDisplayName() + " asks for the ContainersStack but runs on the embedded stack");
            }
            return containers;
        }
        ExtensionContext classContext = context;
        while (classContext.getStore(NS).get(TestStack.class) == null && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        TestStack stack = classContext.getStore(NS).get(TestStack.class, TestStack.class);
        if (stack == null) throw new IllegalStateException("the stack is not started for " + context.getDisplayName());
        return stack;
    }

    private static StackEndpoints sharedStack(ExtensionContext context) {
        return sharedStackOf(context).endpoints;
    }

    private static SharedStack sharedStackOf(ExtensionContext context) {
        String kind = kind(context);
        // The root store closes each stack when the whole test run ends.
        return context.getRoot().getStore(NS)
                .getOrComputeIfAbsent(SharedStack.class.getName() + "/" + kind, k -> new SharedStack(kind), SharedStack.class);
    }

    private static String kind(ExtensionContext context) {
        WithSluiceStack.Stack wanted = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), WithSluiceStack.class)
                .map(WithSluiceStack::value).orElse(WithSluiceStack.Stack.CONFIGURED);
        if (wanted == WithSluiceStack.Stack.CONFIGURED) return System.getenv().getOrDefault(STACK_KIND, "embedded");
        boolean ci = "true".equals(System.getenv("CI"));
        Assumptions.assumeTrue(ci || DockerClientFactory.instance().isDockerAvailable(),
                "no Docker daemon answers; the containers-path tests need one (they fail instead under CI=true)");
        return "containers";
    }

    private static String databaseName(Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (name.length() > 40) name = name.substring(0, 40);
        return "it_" + name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The embedded stack, or with {@code SLUICE_TEST_STACK=containers} the containers stack. */
    private static final class SharedStack implements ExtensionContext.Store.CloseableResource {
        final StackEndpoints endpoints;
        private final AutoCloseable stack;

        SharedStack(String kind) {
            switch (kind) {
                case "embedded" -> {
                    EmbeddedStack embedded = EmbeddedStack.start(
                            StackConfig.fromEnvironment(System.getenv(), line -> log.info("stack: {}", line)));
                    endpoints = embedded.endpoints();
                    stack = embedded;
                }
                case "containers" -> {
                    ContainersStack containers = ContainersStack.start(ContainerImages.fromEnvironment(System.getenv()),
                            line -> log.info("stack: {}", line));
                    endpoints = containers.endpoints();
                    stack = containers;
                }
                default -> throw new IllegalStateException(STACK_KIND + " must be embedded or containers, got '" + kind + "'");
            }
        }

        @Override
        public void close() throws Exception {
            stack.close();
        }
    }

}
