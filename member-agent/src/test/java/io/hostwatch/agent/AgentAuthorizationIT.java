package io.hostwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hostwatch.runtime.bootstrap.TopicBootstrapper;
import io.hostwatch.runtime.security.HostwatchAcls;
import io.hostwatch.runtime.security.RolePrincipals;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.Secured;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent principal on a broker with SASL_SSL and the hostwatch ACL set: it may write heartbeats and nothing else,
 * and an agent process the broker refuses says so (topic, principal) and stops instead of retrying forever.
 */
@ExtendWith(LocalClusterExtension.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AgentAuthorizationIT {
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRefuseAgentPrincipalWritingProbeResultsOrHostStates(@Secured TestCluster cluster) throws Exception {
        // given: every hostwatch topic, the ACL set, and the agent role's user
        String prefix = cluster.newTopicPrefix();
        TopicLayout layout = new TopicLayout(prefix, AgentFixture.PARTITIONS);
        new TopicBootstrapper(cluster.admin(), (short) 1, Duration.ofSeconds(60)).ensure(layout.specs());
        String agentUser = "agent-" + prefix.replace(".", "-");
        grantHostwatchAcls(cluster, layout, "User:" + agentUser);
        Map<String, String> agent = cluster.createUser(agentUser);

        // then: heartbeats are accepted (awaited: a new ACL or user reaches the broker a moment after it is created)
        await("the agent principal writes heartbeats")
                .atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> send(agent, layout.heartbeats()) >= 0);
        // then: probe-results and host-states are refused with an authorization error
        for (String forbidden : List.of(layout.probeResults(), layout.hostStates())) {
            assertThatThrownBy(() -> send(agent, forbidden))
                    .as("agent writing %s", forbidden)
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(forbidden);
        }
    }

    @Test
    void shouldExitWithClearMessageWhenBrokerRefusesHeartbeats(@Secured TestCluster cluster, @TempDir Path dir)
            throws Exception {
        // given: ACLs for the agent on one deployment's topics, the agent configured for another one's
        String granted = cluster.newTopicPrefix();
        String other = cluster.newTopicPrefix();
        String agentUser = "agent-" + granted.replace(".", "-");
        grantHostwatchAcls(cluster, new TopicLayout(granted, AgentFixture.PARTITIONS), "User:" + agentUser);
        AgentFixture.createHeartbeatTopic(cluster, other);
        Map<String, String> values = AgentFixture.baseConfig(cluster, other);
        cluster.createUser(agentUser).forEach((key, value) -> values.put("kafka." + key, value));
        values.put("host.id", "refused-1");

        // when
        Process agent = AgentProcessIT.start(dir, AgentProcessIT.writeConfig(dir, values));
        processes.add(agent);

        // then: a bounded number of attempts, each naming topic and principal, then exit 2 (no restart loop)
        assertThat(agent.waitFor(120, TimeUnit.SECONDS))
                .as("agent still running after 120 s:\n%s", AgentProcessIT.log(dir))
                .isTrue();
        String log = AgentProcessIT.log(dir);
        assertThat(agent.exitValue()).as(log).isEqualTo(2);
        assertThat(log)
                .contains("event=kafka.not_authorized topic=" + other + "heartbeats principal=User:" + agentUser)
                .contains("attempt=" + HeartbeatPublisher.MAX_AUTHORIZATION_FAILURES + "/")
                .contains("event=kafka.not_authorized_giving_up")
                .contains("not authorized: the broker refuses principal User:" + agentUser);
    }

    private static void grantHostwatchAcls(TestCluster cluster, TopicLayout layout, String agentPrincipal)
            throws Exception {
        RolePrincipals principals =
                new RolePrincipals(agentPrincipal, "User:prober-it", "User:detector-it", "User:nova-it");
        cluster.admin()
                .createAcls(new HostwatchAcls(layout, layout.prefix() + "detector", "prober-it", "nova-it", principals)
                        .bindings())
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /** One record through a fresh producer logged in as {@code client}; the offset, or the send's failure. */
    private static long send(Map<String, String> client, String topic) throws Exception {
        Map<String, Object> props = new HashMap<>(client);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(client));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, "h1".getBytes(StandardCharsets.UTF_8), new byte[] {0}))
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    private static String bootstrap(Map<String, String> client) {
        return client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
}
