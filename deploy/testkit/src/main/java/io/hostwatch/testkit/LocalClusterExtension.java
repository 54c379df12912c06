package io.hostwatch.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a {@link TestCluster}: one real Kafka broker per test JVM, started on first use and stopped when the
 * JVM's test run ends (and by the child's orphan guard if the JVM dies first).
 *
 * <pre>{@code
 * @ExtendWith(LocalClusterExtension.class)
 * class SomethingIT {
 *     @Test
 *     void shouldX(TestCluster cluster) { ... cluster.newTopicPrefix() ... }
 * }
 * }</pre>
 *
 * A parameter annotated {@link Secured} gets a second broker of the same JVM with a SASL_SSL listener and ACLs.
 */
public final class LocalClusterExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        boolean secured = parameterContext.isAnnotated(Secured.class);
        return extensionContext
                .getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        secured ? Secured.class : TestCluster.class,
                        key -> TestCluster.start(secured),
                        TestCluster.class);
    }
}
