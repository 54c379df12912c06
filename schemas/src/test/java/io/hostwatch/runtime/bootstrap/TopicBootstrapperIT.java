package io.hostwatch.runtime.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import io.hostwatch.topics.TopicLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalClusterExtension.class)
class TopicBootstrapperIT {

    @Test
    void shouldCreateMissingTopicsWithTheirConfigsAndBeIdempotent(TestCluster cluster) throws Exception {
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 3);
        TopicBootstrapper bootstrapper = new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30));

        // when
        TopicBootstrapper.Report first = bootstrapper.ensure(layout.specs());
        TopicBootstrapper.Report second = bootstrapper.ensure(layout.specs());

        // then
        assertThat(first.created()).hasSize(7);
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).hasSize(7);
        ConfigResource heartbeats = new ConfigResource(ConfigResource.Type.TOPIC, layout.heartbeats());
        ConfigResource states = new ConfigResource(ConfigResource.Type.TOPIC, layout.hostStates());
        var configs = cluster.admin()
                .describeConfigs(List.of(heartbeats, states))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(configs.get(heartbeats).get("message.timestamp.type").value())
                .isEqualTo("LogAppendTime");
        assertThat(configs.get(states).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(cluster.admin()
                        .describeTopics(List.of(layout.ticks()))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(layout.ticks())
                        .partitions())
                .hasSize(3);
    }

    @Test
    void shouldRefuseAnExistingTopicWithAnotherPartitionCount(TestCluster cluster) throws Exception {
        // given
        TopicLayout layout = new TopicLayout(cluster.newTopicPrefix(), 3);
        cluster.admin()
                .createTopics(List.of(new NewTopic(layout.heartbeats(), 5, (short) 1).configs(Map.of())))
                .all()
                .get(30, TimeUnit.SECONDS);
        TopicBootstrapper bootstrapper = new TopicBootstrapper(cluster.admin(), (short) -1, Duration.ofSeconds(30));

        // when / then
        assertThatThrownBy(() -> bootstrapper.ensure(layout.specs()))
                .isInstanceOf(TopicLayoutMismatchException.class)
                .hasMessageContaining(layout.heartbeats() + " has 5 partitions, hostwatch is configured for 3");
    }
}
