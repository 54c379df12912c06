package io.hostwatch.agent;

import io.hostwatch.schema.Heartbeat;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends network heartbeats without ever blocking the heartbeat thread: the producer is created, and the schema id
 * registered, on a control thread (retried until they work); the producer has {@code max.block.ms=0}; a bounded
 * {@code delivery.timeout.ms} drops heartbeats the broker did not take in time (counted, never queued behind an
 * outage). A producer in a fatal state is closed and replaced. A producer the client refuses to build from this
 * configuration is not retried: the owner is told, so that the process can exit with a configuration error. One
 * publisher serves every host of the process.
 *
 * <p>A broker that refuses this principal (a {@link AuthorizationException}: missing WRITE/DESCRIBE on the heartbeat
 * topic or IDEMPOTENT_WRITE on the cluster) gets a bounded retry: {@value #MAX_AUTHORIZATION_FAILURES} producers in
 * a row, {@code REPLACE_SPACING} apart, because an ACL created a moment ago may not have reached the broker yet.
 * After that the owner is told as for a bad configuration (exit code 2, which systemd does not restart in a loop):
 * only an operator can fix ACLs, and an agent retrying forever would hide the problem behind a "running" service.
 */
public final class HeartbeatPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);
    private static final Duration RETRY_MIN = Duration.ofSeconds(1);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    private static final Duration REPLACE_SPACING = Duration.ofSeconds(5);
    private static final Duration METADATA_POLL = Duration.ofMillis(50);
    private static final Duration METADATA_WARMUP = Duration.ofSeconds(10);
    static final int MAX_AUTHORIZATION_FAILURES = 3;

    /** Runs before the producer is created (e.g. topic bootstrap); throws to be retried later. */
    public interface Preparation {
        void run() throws Exception;
    }

    private final String topic;
    private final Serializer<Heartbeat> serializer;
    private final Supplier<Producer<String, byte[]>> producerFactory;
    private final Heartbeat sample;
    private final Preparation preparation;
    private final AgentMetrics metrics;
    private final ScheduledExecutorService control;
    private final Consumer<ConfigException> onInvalidConfiguration;
    private final String principal;

    private volatile Producer<String, byte[]> producer;
    private volatile boolean schemaReady;
    private volatile boolean metadataReady;
    private long metadataWarmupDeadline;
    private volatile boolean closed;
    private boolean prepared;
    private Duration retry = RETRY_MIN;
    private final AtomicLong lastAckNanos;
    private final AtomicBoolean replacing = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicBoolean everDelivered = new AtomicBoolean();
    private volatile long lastReplacementNanos;
    private final AtomicLong authorizationFailures = new AtomicLong();
    private volatile Producer<String, byte[]> lastRefused;
    private volatile boolean refused;

    /**
     * @param sample                 a heartbeat to encode once at start-up, which registers the schema off the
     *                               heartbeat thread
     * @param onInvalidConfiguration called once, on the control thread, if the producer cannot be built from this
     *                               configuration, or if the broker keeps refusing this principal; nothing is
     *                               retried after that
     * @param principal              who the producer authenticates as, for log lines (e.g. {@code User:agent})
     */
    public HeartbeatPublisher(
            String topic,
            Serializer<Heartbeat> serializer,
            Supplier<Producer<String, byte[]>> producerFactory,
            Heartbeat sample,
            Preparation preparation,
            AgentMetrics metrics,
            ScheduledExecutorService control,
            Consumer<ConfigException> onInvalidConfiguration,
            String principal) {
        this.topic = topic;
        this.principal = principal;
        this.serializer = serializer;
        this.producerFactory = producerFactory;
        this.sample = sample;
        this.preparation = preparation;
        this.metrics = metrics;
        this.control = control;
        this.onInvalidConfiguration = onInvalidConfiguration;
        this.lastAckNanos = new AtomicLong(System.nanoTime());
        this.lastReplacementNanos = System.nanoTime() - REPLACE_SPACING.toNanos();
    }

    public void start() {
        control.execute(this::prepare);
    }

    /** Producer created and schema id known: heartbeats can be encoded and sent without blocking. */
    public boolean ready() {
        return producer != null && schemaReady && metadataReady;
    }

    /** {@link System#nanoTime()} of the last broker acknowledgement (the start time before the first one). */
    public long lastAckNanos() {
        return lastAckNanos.get();
    }

    public boolean everDelivered() {
        return everDelivered.get();
    }

    /**
     * Encodes and sends. Never blocks; failures are counted, not thrown.
     *
     * @return false if the heartbeat was not handed to a producer (not ready, or not encodable)
     */
    public boolean publish(Heartbeat heartbeat) {
        Producer<String, byte[]> current = producer;
        if (current == null || !schemaReady || !metadataReady) {
            metrics.dropped(AgentMetrics.DropReason.NOT_READY);
            return false;
        }
        byte[] value;
        try {
            value = serializer.serialize(topic, heartbeat);
        } catch (RuntimeException e) {
            metrics.dropped(AgentMetrics.DropReason.ERROR);
            markFailing(e);
            return false;
        }
        long sentNanos = System.nanoTime();
        metrics.sent(value.length);
        try {
            current.send(
                    new ProducerRecord<>(topic, heartbeat.getHost(), value),
                    (metadata, exception) -> completed(current, sentNanos, exception));
        } catch (KafkaException | IllegalStateException e) {
            completed(current, sentNanos, e);
        }
        return true;
    }

    private void completed(Producer<String, byte[]> from, long sentNanos, Exception exception) {
        long now = System.nanoTime();
        if (exception == null) {
            lastAckNanos.accumulateAndGet(now, Math::max);
            metrics.delivered(now - sentNanos);
            authorizationFailures.set(0);
            if (everDelivered.compareAndSet(false, true)) {
                failing.set(false);
                LOG.info("event=kafka.delivering first=true topic={}: first heartbeat acknowledged", topic);
            } else if (failing.compareAndSet(true, false)) {
                LOG.info(
                        "event=kafka.delivering first=false topic={} dropped_total={}: heartbeats acknowledged again",
                        topic,
                        metrics.heartbeatsDropped());
            }
            return;
        }
        metrics.dropped(
                exception instanceof TimeoutException
                        ? AgentMetrics.DropReason.TIMEOUT
                        : AgentMetrics.DropReason.ERROR);
        markFailing(exception);
        if (exception instanceof AuthorizationException denied) {
            notAuthorized(from, denied);
        } else if (isFatal(exception)) {
            requestReplacement(from, exception);
        }
    }

    /**
     * Counts one refusal per producer instance (or per preparation, {@code from} null); replaces the producer, or
     * gives up after the last attempt.
     */
    private synchronized void notAuthorized(Producer<String, byte[]> from, AuthorizationException denied) {
        if (refused || closed || (from != null && from == lastRefused)) {
            return;
        }
        if (from != null) {
            lastRefused = from;
        }
        long attempt = authorizationFailures.incrementAndGet();
        String message = String.format(
                java.util.Locale.ROOT,
                "the broker refuses principal %s on topic %s (%s): it needs WRITE and DESCRIBE on the topic and "
                        + "IDEMPOTENT_WRITE on the cluster ('hostwatch-detector acls' creates them), or the agent "
                        + "uses the wrong credentials (kafka.sasl.jaas.config)",
                principal,
                topic,
                denied.getClass().getSimpleName() + ": " + denied.getMessage());
        LOG.error(
                "event=kafka.not_authorized topic={} principal={} attempt={}/{}: {}",
                topic,
                principal,
                attempt,
                MAX_AUTHORIZATION_FAILURES,
                message.replace('"', '\''));
        if (attempt < MAX_AUTHORIZATION_FAILURES) {
            if (from != null) {
                requestReplacement(from, denied);
            }
            return;
        }
        refused = true;
        LOG.error(
                "event=kafka.not_authorized_giving_up topic={} principal={}: not retrying after {} refusals",
                topic,
                principal,
                attempt);
        onInvalidConfiguration.accept(new ConfigException("not authorized: " + message));
    }

    private void markFailing(Exception exception) {
        if (failing.compareAndSet(false, true)) {
            LOG.warn(
                    "event=kafka.delivery_failing topic={} reason=\"{}\": dropping heartbeats older than "
                            + "heartbeat.delivery.timeout.ms, not queueing them",
                    topic,
                    exception.toString().replace('"', '\''));
        }
    }

    /** Errors after which this producer instance will not deliver again. */
    static boolean isFatal(Exception e) {
        return e instanceof OutOfOrderSequenceException
                || e instanceof UnknownProducerIdException
                || e instanceof ProducerFencedException
                || e instanceof InvalidProducerEpochException
                || e instanceof AuthenticationException
                || e instanceof AuthorizationException
                || e instanceof IllegalStateException
                || e.getClass() == KafkaException.class;
    }

    private void requestReplacement(Producer<String, byte[]> broken, Exception cause) {
        if (closed || refused || broken != producer || !replacing.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastReplacementNanos + REPLACE_SPACING.toNanos() - System.nanoTime());
        LOG.warn(
                "event=kafka.producer_replacing reason=\"{}\" in_ms={}",
                cause.toString().replace('"', '\''),
                wait / 1_000_000);
        later(() -> replace(broken), wait, TimeUnit.NANOSECONDS);
    }

    private void replace(Producer<String, byte[]> broken) {
        try {
            if (closed) {
                return;
            }
            producer = null;
            metadataReady = false;
            closeQuietly(broken, Duration.ZERO);
            lastReplacementNanos = System.nanoTime();
            metrics.producerReplaced();
        } finally {
            replacing.set(false);
        }
        prepare();
    }

    private void prepare() {
        if (closed || refused) {
            return;
        }
        try {
            if (!prepared) {
                preparation.run();
                prepared = true;
            }
            if (producer == null) {
                if (!createProducer()) {
                    return;
                }
                metadataWarmupDeadline = System.nanoTime() + METADATA_WARMUP.toNanos();
            }
            if (producer != null && !schemaReady) {
                serializer.serialize(topic, sample);
                schemaReady = true;
                LOG.info("event=kafka.schema_ready topic={}: heartbeat schema registered", topic);
            }
            if (producer != null && schemaReady && !metadataReady && !awaitMetadata(producer)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (AuthorizationException denied) {
            notAuthorized(null, denied);
        } catch (Exception e) {
            LOG.warn(
                    "event=kafka.not_ready reason=\"{}\" retry_ms={}: heartbeats are dropped (reason=not_ready) "
                            + "until this works",
                    e.toString().replace('"', '\''),
                    retry.toMillis());
        }
        if (!ready() && !closed && !refused) {
            later(this::prepare, retry.toMillis(), TimeUnit.MILLISECONDS);
            retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
        } else {
            retry = RETRY_MIN;
        }
    }

    /**
     * With {@code max.block.ms=0} a send before the topic's metadata arrived fails at once, so the first heartbeats
     * would be dropped: poll for the metadata here first, for a bounded time (the topic may not exist yet; then
     * sends fail and are counted until it does).
     */
    private boolean awaitMetadata(Producer<String, byte[]> current) {
        try {
            current.partitionsFor(topic);
            metadataReady = true;
        } catch (TimeoutException notYet) {
            if (System.nanoTime() - metadataWarmupDeadline > 0) {
                LOG.warn(
                        "event=kafka.no_metadata topic={} waited_ms={}: sending anyway; heartbeats are dropped "
                                + "(reason=timeout) until the topic is known",
                        topic,
                        METADATA_WARMUP.toMillis());
                metadataReady = true;
            } else {
                later(this::prepare, METADATA_POLL.toMillis(), TimeUnit.MILLISECONDS);
                return false;
            }
        } catch (AuthorizationException denied) {
            notAuthorized(current, denied);
            return false;
        } catch (KafkaException e) {
            metadataReady = true;
        }
        return true;
    }

    private void later(Runnable task, long delay, TimeUnit unit) {
        try {
            control.schedule(task, delay, unit);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the agent is stopping: nothing left to prepare or replace
        }
    }

    /** @return false if the configuration can never build a producer (then nothing is retried) */
    private boolean createProducer() {
        try {
            producer = producerFactory.get();
        } catch (KafkaException e) {
            Optional<ConfigException> invalid = invalidConfiguration(e);
            if (invalid.isPresent()) {
                LOG.error(
                        "event=kafka.config_invalid reason=\"{}\": the producer cannot be built from this "
                                + "configuration; not retrying",
                        invalid.get().getMessage().replace('"', '\''));
                onInvalidConfiguration.accept(invalid.get());
                return false;
            }
            // e.g. no bootstrap server name resolves yet (boot order, DNS): retried by prepare()
            LOG.warn(
                    "event=kafka.producer_unavailable reason=\"{}\"",
                    e.toString().replace('"', '\''));
        }
        return true;
    }

    /**
     * The configuration error behind a failed producer construction, if any. Kafka reports a bootstrap name that
     * does not resolve as a ConfigException too, but that one is transient (DNS not up yet at boot) and retried.
     */
    private static Optional<ConfigException> invalidConfiguration(KafkaException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException config) {
                String message = String.valueOf(config.getMessage());
                return message.startsWith("No resolvable bootstrap urls") ? Optional.empty() : Optional.of(config);
            }
        }
        return Optional.empty();
    }

    /** Flushes what is in flight (acknowledged or expired within {@code timeout}) and closes the producer. */
    public void close(Duration timeout) {
        closed = true;
        Producer<String, byte[]> current = producer;
        producer = null;
        if (current != null) {
            closeQuietly(current, timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private static void closeQuietly(Producer<String, byte[]> producer, Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException e) {
            LOG.debug("Closing producer: {}", e.toString());
        }
    }
}
