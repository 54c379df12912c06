package io.hostwatch.detector;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global store {@code detector-domain-guard} equal to the guard topic. */
final class DomainGuardStoreUpdater implements Processor<String, DomainStatus, Void, Void> {
    private KeyValueStore<String, DomainStatus> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(DetectorTopology.DOMAIN_GUARD_STORE);
    }

    @Override
    public void process(Record<String, DomainStatus> record) {
        if (record.key() != null) {
            store.put(record.key(), record.value());
        }
    }
}
