package io.hostwatch.quickstart;

/** A test host to create: its id (the Nova host name) and failure domain. */
record HostSpec(String id, String failureDomain) {}
