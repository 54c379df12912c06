package io.hostwatch.runtime.security;

import io.hostwatch.topics.TopicLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege ACL set of one hostwatch deployment, as a pure function of its topic layout, the detector's
 * {@code application.id}, the consumer groups and the role principals. Only ALLOW entries: the broker's
 * authorizer denies everything else ({@code allow.everyone.if.no.acl.found=false}).
 *
 * <ul>
 *   <li>agent: WRITE + DESCRIBE on heartbeats, IDEMPOTENT_WRITE on the cluster; nothing else.
 *   <li>prober: READ probe-requests and its group(s) (prefix {@code probe.group.id}, since fan-out gives each prober
 *       {@code <probe.group.id>.<prober.id>}), WRITE probe-results and dead-letters.
 *   <li>detector (Kafka Streams, exactly_once_v2): READ heartbeats, ticks, probe-results; WRITE ticks (its ticker),
 *       probe-requests, host-states, host-state-history, dead-letters; ALL on topics and groups prefixed by
 *       {@code application.id} (changelogs, repartition and its own internal topics, the group); WRITE + DESCRIBE on
 *       transactional ids prefixed by {@code application.id}; IDEMPOTENT_WRITE on the cluster.
 *   <li>Nova consumer: READ host-states and its group.
 *   <li>prober and detector also get DESCRIBE + DESCRIBE_CONFIGS on every topic under {@code topic.prefix}: both
 *       check the topic layout at start-up (partitions, configs). That reveals topic metadata, never records.
 * </ul>
 *
 * Nobody but the detector may write host-states: the set grants WRITE on it to the detector alone.
 */
public record HostwatchAcls(
        TopicLayout layout,
        String detectorApplicationId,
        String proberGroupPrefix,
        String novaGroup,
        RolePrincipals principals) {

    public List<AclBinding> bindings() {
        List<AclBinding> acls = new ArrayList<>();
        String agent = principals.agent();
        allow(acls, agent, topic(layout.heartbeats()), AclOperation.WRITE, AclOperation.DESCRIBE);
        allow(acls, agent, cluster(), AclOperation.IDEMPOTENT_WRITE);

        String prober = principals.prober();
        allow(acls, prober, topic(layout.probeRequests()), AclOperation.READ);
        allow(acls, prober, prefixed(ResourceType.GROUP, proberGroupPrefix), AclOperation.READ);
        allow(acls, prober, topic(layout.probeResults()), AclOperation.WRITE);
        allow(acls, prober, topic(layout.deadLetters()), AclOperation.WRITE);
        allow(acls, prober, cluster(), AclOperation.IDEMPOTENT_WRITE);
        allow(
                acls,
                prober,
                prefixed(ResourceType.TOPIC, layout.prefix()),
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);

        String detector = principals.detector();
        for (String input : List.of(layout.heartbeats(), layout.ticks(), layout.probeResults())) {
            allow(acls, detector, topic(input), AclOperation.READ);
        }
        for (String output : List.of(
                layout.ticks(),
                layout.probeRequests(),
                layout.hostStates(),
                layout.hostStateHistory(),
                layout.deadLetters())) {
            allow(acls, detector, topic(output), AclOperation.WRITE);
        }
        allow(
                acls,
                detector,
                prefixed(ResourceType.TOPIC, layout.prefix()),
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS);
        allow(acls, detector, prefixed(ResourceType.TOPIC, detectorApplicationId), AclOperation.ALL);
        allow(acls, detector, prefixed(ResourceType.GROUP, detectorApplicationId), AclOperation.ALL);
        allow(
                acls,
                detector,
                prefixed(ResourceType.TRANSACTIONAL_ID, detectorApplicationId),
                AclOperation.WRITE,
                AclOperation.DESCRIBE);
        allow(acls, detector, cluster(), AclOperation.IDEMPOTENT_WRITE);

        String nova = principals.novaConsumer();
        allow(acls, nova, topic(layout.hostStates()), AclOperation.READ, AclOperation.DESCRIBE);
        allow(acls, nova, new ResourcePattern(ResourceType.GROUP, novaGroup, PatternType.LITERAL), AclOperation.READ);
        return List.copyOf(acls);
    }

    /** One line per binding, {@code kafka-acls}-like, for {@code --dry-run} and the README. */
    public static String describe(AclBinding binding) {
        return String.format(
                Locale.ROOT,
                "%s %s %s on %s %s '%s'",
                binding.entry().permissionType(),
                binding.entry().principal(),
                binding.entry().operation(),
                binding.pattern().patternType().name().toLowerCase(Locale.ROOT),
                binding.pattern().resourceType().name().toLowerCase(Locale.ROOT),
                binding.pattern().name());
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }

    private static ResourcePattern cluster() {
        return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }

    private static void allow(
            List<AclBinding> acls, String principal, ResourcePattern pattern, AclOperation... operations) {
        for (AclOperation operation : operations) {
            acls.add(new AclBinding(
                    pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
