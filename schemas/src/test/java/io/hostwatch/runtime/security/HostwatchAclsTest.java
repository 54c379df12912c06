package io.hostwatch.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.topics.TopicLayout;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class HostwatchAclsTest {
    private static final TopicLayout LAYOUT = new TopicLayout("prod.hostwatch.", 12);
    private static final List<AclBinding> ACLS = new HostwatchAcls(
                    LAYOUT, "prod-detector", "prod-prober", "prod-nova", RolePrincipals.defaults())
            .bindings();

    @Test
    void shouldLetOnlyTheDetectorWriteHostStates() {
        // when
        List<String> writers = ACLS.stream()
                .filter(acl -> acl.pattern().name().equals(LAYOUT.hostStates()))
                .filter(acl -> acl.entry().operation() == AclOperation.WRITE
                        || acl.entry().operation() == AclOperation.ALL)
                .map(acl -> acl.entry().principal())
                .toList();

        // then
        assertThat(writers).containsExactly("User:hostwatch-detector");
        assertThat(ACLS)
                .filteredOn(acl -> acl.pattern().patternType() == PatternType.PREFIXED
                        && LAYOUT.hostStates().startsWith(acl.pattern().name()))
                .allSatisfy(acl ->
                        assertThat(acl.entry().operation()).isIn(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS));
    }

    @Test
    void shouldLimitTheAgentToHeartbeats() {
        // when
        List<String> agent = describe("User:hostwatch-agent");

        // then
        assertThat(agent)
                .containsExactlyInAnyOrder(
                        "WRITE LITERAL TOPIC prod.hostwatch.heartbeats",
                        "DESCRIBE LITERAL TOPIC prod.hostwatch.heartbeats",
                        "IDEMPOTENT_WRITE LITERAL CLUSTER kafka-cluster");
    }

    @Test
    void shouldGiveTheProberRequestsInResultsOutAndItsGroups() {
        // when
        List<String> prober = describe("User:hostwatch-prober");

        // then
        assertThat(prober)
                .contains(
                        "READ LITERAL TOPIC prod.hostwatch.probe-requests",
                        "READ PREFIXED GROUP prod-prober",
                        "WRITE LITERAL TOPIC prod.hostwatch.probe-results")
                .doesNotContain(
                        "WRITE LITERAL TOPIC prod.hostwatch.heartbeats",
                        "WRITE LITERAL TOPIC prod.hostwatch.host-states");
    }

    @Test
    void shouldGiveTheDetectorWhatExactlyOnceStreamsNeeds() {
        // when
        List<String> detector = describe("User:hostwatch-detector");

        // then
        assertThat(detector)
                .contains(
                        "READ LITERAL TOPIC prod.hostwatch.heartbeats",
                        "READ LITERAL TOPIC prod.hostwatch.ticks",
                        "READ LITERAL TOPIC prod.hostwatch.probe-results",
                        "WRITE LITERAL TOPIC prod.hostwatch.probe-requests",
                        "WRITE LITERAL TOPIC prod.hostwatch.host-states",
                        "WRITE LITERAL TOPIC prod.hostwatch.host-state-history",
                        "WRITE LITERAL TOPIC prod.hostwatch.dead-letters",
                        "ALL PREFIXED TOPIC prod-detector",
                        "ALL PREFIXED GROUP prod-detector",
                        "WRITE PREFIXED TRANSACTIONAL_ID prod-detector",
                        "DESCRIBE PREFIXED TRANSACTIONAL_ID prod-detector",
                        "IDEMPOTENT_WRITE LITERAL CLUSTER kafka-cluster");
    }

    @Test
    void shouldLetNovaOnlyReadHostStates() {
        // when
        List<String> nova = describe("User:hostwatch-nova");

        // then
        assertThat(nova)
                .containsExactlyInAnyOrder(
                        "READ LITERAL TOPIC prod.hostwatch.host-states",
                        "DESCRIBE LITERAL TOPIC prod.hostwatch.host-states",
                        "READ LITERAL GROUP prod-nova");
    }

    @Test
    void shouldAllowOnlyAndDescribeEachBindingForOperators() {
        assertThat(ACLS).allSatisfy(acl -> {
            assertThat(acl.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
            assertThat(acl.entry().host()).isEqualTo("*");
        });
        assertThat(ACLS.stream().map(HostwatchAcls::describe))
                .contains("ALLOW User:hostwatch-detector WRITE on literal topic 'prod.hostwatch.host-states'");
        assertThat(ACLS.stream().map(acl -> acl.pattern().resourceType()).distinct())
                .containsExactlyInAnyOrder(
                        ResourceType.TOPIC, ResourceType.GROUP, ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID);
    }

    @Test
    void shouldRefuseAPrincipalWithoutType() {
        assertThatThrownBy(() -> new RolePrincipals("agent", "User:p", "User:d", "User:n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TYPE:NAME");
    }

    @Test
    void shouldNameThePrincipalAClientLogsInAs() {
        assertThat(ClientPrincipal.describe(Map.of(
                        "security.protocol",
                        "SASL_SSL",
                        "sasl.mechanism",
                        "SCRAM-SHA-512",
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a1\" "
                                + "password=\"x\";")))
                .isEqualTo("User:a1 (SASL_SSL SCRAM-SHA-512)");
        assertThat(ClientPrincipal.describe(Map.of())).isEqualTo("User:ANONYMOUS (PLAINTEXT)");
    }

    private static List<String> describe(String principal) {
        return ACLS.stream()
                .filter(acl -> acl.entry().principal().equals(principal))
                .map(acl -> acl.entry().operation() + " " + acl.pattern().patternType() + " "
                        + acl.pattern().resourceType() + " " + acl.pattern().name())
                .toList();
    }
}
