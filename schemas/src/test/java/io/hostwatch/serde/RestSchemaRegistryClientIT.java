package io.hostwatch.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.local.FreePorts;
import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.Tick;
import io.hostwatch.testkit.LocalClusterExtension;
import io.hostwatch.testkit.TestCluster;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the real registry (Apicurio's Confluent-compatible API), as every component will use it. */
@ExtendWith(LocalClusterExtension.class)
class RestSchemaRegistryClientIT {

    @Test
    void shouldRegisterIdempotentlyAndResolveById(TestCluster cluster) {
        // given
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(cluster.registryUrl());
        String subject = cluster.newTopicPrefix() + "heartbeats-value";

        // when
        int id = client.register(subject, Heartbeat.getClassSchema());
        int again = client.register(subject, Heartbeat.getClassSchema());

        // then
        assertThat(again).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(Heartbeat.getClassSchema());
    }

    @Test
    void shouldReportUnknownIdAsSchemaNotFound(TestCluster cluster) {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(cluster.registryUrl());

        assertThatThrownBy(() -> client.schemaById(987_654)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWithTheRegistryMessage(TestCluster cluster) {
        // given: global compatibility is BACKWARD, and a new required field without default breaks it
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(cluster.registryUrl());
        String subject = cluster.newTopicPrefix() + "ticks-value";
        client.register(subject, Tick.getClassSchema());
        Schema incompatible = SchemaBuilder.record("Tick")
                .namespace("io.hostwatch.schema")
                .fields()
                .requiredInt("partition")
                .requiredString("mandatoryNewField")
                .endRecord();

        // when / then
        assertThatThrownBy(() -> client.register(subject, incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .isNotInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("HTTP 409");
    }

    @Test
    void shouldRetryThenFailClearlyWhenNothingListens() {
        // given
        String url = "http://127.0.0.1:" + FreePorts.next() + "/apis/ccompat/v7";
        RestSchemaRegistryClient client =
                new RestSchemaRegistryClient(url, Duration.ofSeconds(1), 3, Duration.ofMillis(10));

        // when / then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unavailable")
                .hasMessageContaining("after 3 attempts");
    }
}
