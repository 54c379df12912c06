package io.hostwatch.agent.service;

import io.hostwatch.schema.ServiceStatus;

/** Decides whether the service the agent stands for (nova-compute) is healthy. May block; never on the heartbeat thread. */
public interface ServiceCheck {

    /** A check's verdict and a short reason for logs. */
    record Result(ServiceStatus status, String detail) {}

    Result check() throws InterruptedException;

    /** What is checked, for logs. */
    String describe();
}
