package io.hostwatch.detector.console;

import io.hostwatch.detector.DomainStatus;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What this detector instance knows locally, as the console's read model: rows and details of the hosts its tasks
 * own, and the mass-failure guard's totals (a global store: every instance holds every domain). Implementations
 * throw Kafka Streams' {@code InvalidStateStoreException} while the stores are not queryable (rebalancing).
 */
public interface ConsoleSource {
    void forEachLocalHost(Consumer<HostRow> rows);

    /** Empty when this instance holds no verdict for {@code host}. */
    Optional<HostDetail> localDetail(String host, long serverTime);

    Map<String, DomainStatus> guard();
}
