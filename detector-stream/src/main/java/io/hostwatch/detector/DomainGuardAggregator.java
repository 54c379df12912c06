package io.hostwatch.detector;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums the guard deltas of one failure domain (records keyed by domain, from every host task) into its totals,
 * decides whether the guard holds, and publishes the totals to the guard topic that feeds every task's global
 * store.
 */
final class DomainGuardAggregator implements Processor<String, DomainDelta, String, DomainStatus> {
    private final double fraction;
    private final int minSilent;
    private ProcessorContext<String, DomainStatus> context;
    private KeyValueStore<String, DomainStatus> counts;

    DomainGuardAggregator(double fraction, int minSilent) {
        this.fraction = fraction;
        this.minSilent = minSilent;
    }

    @Override
    public void init(ProcessorContext<String, DomainStatus> context) {
        this.context = context;
        counts = context.getStateStore(DetectorTopology.DOMAIN_COUNTS_STORE);
    }

    @Override
    public void process(Record<String, DomainDelta> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        DomainStatus current = counts.get(record.key());
        DomainStatus next = (current == null ? DomainStatus.EMPTY : current).plus(record.value(), fraction, minSilent);
        counts.put(record.key(), next);
        context.forward(record.withValue(next));
    }
}
