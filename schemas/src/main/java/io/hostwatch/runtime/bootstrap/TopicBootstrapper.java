package io.hostwatch.runtime.bootstrap;

import io.hostwatch.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics with their explicit configs and checks existing ones. Idempotent: every component runs
 * it at start-up. A partition-count mismatch is fatal (co-partitioning and key placement depend on it); a config
 * difference is logged, because operators may tune retention on purpose.
 */
public final class TopicBootstrapper {
    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrapper.class);

    private final Admin admin;
    private final short replicationFactor;
    private final Duration timeout;

    /** @param replicationFactor -1 for the broker default */
    public TopicBootstrapper(Admin admin, short replicationFactor, Duration timeout) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** What {@link #ensure} did. */
    public record Report(List<String> created, List<String> existing) {}

    public Report ensure(Collection<TopicSpec> specs) throws InterruptedException {
        Map<String, TopicSpec> byName = specs.stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));
        Set<String> present = await(admin.listTopics().names());
        List<NewTopic> missing = specs.stream()
                .filter(spec -> !present.contains(spec.name()))
                .map(spec -> new NewTopic(
                                spec.name(),
                                Optional.of(spec.partitions()),
                                replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor))
                        .configs(spec.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(name);
                LOG.info(
                        "Created topic {} ({} partitions, {})",
                        name,
                        byName.get(name).partitions(),
                        byName.get(name).configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException(
                            "Could not create topic " + name + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
                // another component created it between our list and create: fine, it is checked below
            } catch (TimeoutException e) {
                throw new KafkaException("Timed out after " + timeout + " creating topic " + name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("Interrupted creating topic " + name, e);
            }
        });
        Map<String, TopicDescription> descriptions = awaitLeaders(byName.keySet());
        checkPartitions(byName, descriptions);
        warnOnConfigDrift(byName);
        List<String> existing = byName.keySet().stream()
                .filter(name -> !created.contains(name))
                .sorted()
                .toList();
        return new Report(List.copyOf(created), existing);
    }

    private void checkPartitions(Map<String, TopicSpec> specs, Map<String, TopicDescription> descriptions) {
        List<String> wrong = specs.values().stream()
                .filter(spec -> descriptions.get(spec.name()).partitions().size() != spec.partitions())
                .map(spec -> spec.name() + " has "
                        + descriptions.get(spec.name()).partitions().size()
                        + " partitions, hostwatch is configured for " + spec.partitions())
                .sorted()
                .toList();
        if (!wrong.isEmpty()) {
            throw new TopicLayoutMismatchException("Existing topics do not match topic.partitions: "
                    + String.join("; ", wrong) + ". All host-keyed topics must have the same partition count: "
                    + "set topic.partitions to the existing count, or recreate the topics.");
        }
    }

    private void warnOnConfigDrift(Map<String, TopicSpec> specs) throws InterruptedException {
        List<ConfigResource> resources = specs.keySet().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs =
                await(admin.describeConfigs(resources).all());
        configs.forEach((resource, config) -> specs.get(resource.name())
                .configs()
                .forEach((key, wanted) -> {
                    ConfigEntry actual = config.get(key);
                    if (actual == null || !wanted.equals(actual.value())) {
                        LOG.warn(
                                "Topic {} has {}={}, hostwatch expects {}",
                                resource.name(),
                                key,
                                actual == null ? null : actual.value(),
                                wanted);
                    }
                }));
    }

    /**
     * A freshly created partition has no leader for a moment; an idempotent producer started then can retry
     * OUT_OF_ORDER_SEQUENCE_NUMBER forever (KAFKA-14359), so callers only get topics back that are ready.
     */
    private Map<String, TopicDescription> awaitLeaders(Set<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Map<String, TopicDescription>> descriptions = describeIfKnown(names);
            boolean ready = descriptions.isPresent()
                    && descriptions.get().values().stream()
                            .allMatch(d -> d.partitions().stream()
                                    .allMatch(p ->
                                            p.leader() != null && !p.leader().isEmpty()));
            if (ready) {
                return descriptions.get();
            }
            if (System.nanoTime() > deadline) {
                throw new KafkaException("Topics " + names + " have partitions without a leader after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** Empty while the broker's metadata does not know every topic yet (right after creation). */
    private Optional<Map<String, TopicDescription>> describeIfKnown(Set<String> names) throws InterruptedException {
        try {
            return Optional.of(
                    admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw new KafkaException("Topic bootstrap failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Broker did not answer within " + timeout + " during topic bootstrap", e);
        }
    }

    private <T> T await(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("Topic bootstrap failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Broker did not answer within " + timeout + " during topic bootstrap", e);
        }
    }
}
