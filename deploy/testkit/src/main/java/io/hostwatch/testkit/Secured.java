package io.hostwatch.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link TestCluster} parameter: inject the JVM's secured broker (SASL_SSL with SCRAM-SHA-512, TLS from a test
 * CA made at start-up, StandardAuthorizer) instead of the plaintext one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Secured {}
