package io.hostwatch.detector;

/** Whether the mass-failure guard currently holds evacuating verdicts in a failure domain. */
interface DomainGuard {
    /** Domain of heartbeats that carry no failureDomain (DESIGN section 5: "default one domain"). */
    String DEFAULT_DOMAIN = "default";

    /** The domain's totals as this task sees them now ({@link DomainStatus#EMPTY} for a domain never counted). */
    DomainStatus status(String domain);

    default boolean holding(String domain) {
        return status(domain).holding();
    }
}
