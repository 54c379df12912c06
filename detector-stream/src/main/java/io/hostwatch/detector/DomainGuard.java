package io.hostwatch.detector;

/** Whether the mass-failure guard currently holds evacuating verdicts in a failure domain. */
interface DomainGuard {
    /** Domain of heartbeats that carry no failureDomain (contract section 5: "default one domain"). */
    String DEFAULT_DOMAIN = "default";

    /** As this task sees the domain's totals now; false for a domain never counted. */
    boolean holding(String domain);
}
