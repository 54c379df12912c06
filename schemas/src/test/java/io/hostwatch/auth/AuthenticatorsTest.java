package io.hostwatch.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hostwatch.schema.Heartbeat;
import io.hostwatch.schema.ServiceStatus;
import io.hostwatch.storage.StorageHeartbeat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorsTest {
    private final MasterKey k1 = KeyFiles.generateMaster("k1");
    private final MasterKey k2 = KeyFiles.generateMaster("k2");
    private final Verifier verifier = new Verifier(List.of(k1, k2));

    @TempDir
    Path dir;

    private static Heartbeat heartbeat(String host) {
        return Heartbeat.newBuilder()
                .setHost(host)
                .setAgentInstance("a-1")
                .setSequence(7)
                .setSentAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setIntervalMs(1000)
                .setAddress("10.0.0.1")
                .setFailureDomain("az1")
                .setServiceStatus(ServiceStatus.OK)
                .setStorageSequence(5)
                .setStorageWriteOk(true)
                .setAgentVersion("1")
                .build();
    }

    @Test
    void shouldVerifyAHeartbeatAuthenticatedWithItsHostsKeyUnderEitherKeyVersion() {
        assertThat(verifier.verify(Authenticators.authenticate(k1.derive("h1"), heartbeat("h1"))))
                .isEqualTo(Verifier.Result.VALID);
        assertThat(verifier.verify(Authenticators.authenticate(k2.derive("h1"), heartbeat("h1"))))
                .isEqualTo(Verifier.Result.VALID);
    }

    @Test
    void shouldRejectAHeartbeatAuthenticatedWithAnotherHostsKey() {
        assertThat(verifier.verify(Authenticators.authenticate(k1.derive("h2"), heartbeat("h1"))))
                .isEqualTo(Verifier.Result.BAD_AUTHENTICATOR);
    }

    @Test
    void shouldRejectAChangeToAnyAuthenticatedField() {
        List<Consumer<Heartbeat>> changes = List.of(
                h -> h.setHost("h2"),
                h -> h.setAgentInstance("a-2"),
                h -> h.setSequence(8L),
                h -> h.setSentAt(Instant.ofEpochMilli(1_700_000_000_001L)),
                h -> h.setIntervalMs(999),
                h -> h.setAddress("10.0.0.2"),
                h -> h.setFailureDomain(null),
                h -> h.setServiceStatus(ServiceStatus.DOWN),
                h -> h.setStorageSequence(6L),
                h -> h.setStorageWriteOk(false),
                h -> h.setAgentVersion("2"),
                h -> h.setKeyId("k2"));
        for (Consumer<Heartbeat> change : changes) {
            Heartbeat heartbeat = Authenticators.authenticate(k1.derive("h1"), heartbeat("h1"));
            change.accept(heartbeat);
            assertThat(verifier.verify(heartbeat)).isEqualTo(Verifier.Result.BAD_AUTHENTICATOR);
        }
    }

    @Test
    void shouldTellUnauthenticatedFromUnknownKeyIds() {
        assertThat(verifier.verify(heartbeat("h1"))).isEqualTo(Verifier.Result.UNAUTHENTICATED);
        assertThat(verifier.verify(Authenticators.authenticate(
                        KeyFiles.generateMaster("k3").derive("h1"), heartbeat("h1"))))
                .isEqualTo(Verifier.Result.UNKNOWN_KEY_ID);
        Heartbeat idOnly = heartbeat("h1");
        idOnly.setKeyId("k1");
        assertThat(verifier.verify(idOnly)).isEqualTo(Verifier.Result.BAD_AUTHENTICATOR);
    }

    @Test
    void shouldAuthenticateStorageFilesThroughTheirTextForm() {
        StorageHeartbeat own = new StorageHeartbeat("h1", "a-1", 12, 99, true).authenticated(k1.derive("h1"));
        StorageHeartbeat foreign = new StorageHeartbeat("h1", "a-1", 12, 99, true).authenticated(k1.derive("h2"));
        StorageHeartbeat tampered =
                StorageHeartbeat.parse(new String(own.toBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("storageSequence=12", "storageSequence=3")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(verifier.verify(StorageHeartbeat.parse(own.toBytes()))).isEqualTo(Verifier.Result.VALID);
        assertThat(verifier.verify(StorageHeartbeat.parse(foreign.toBytes())))
                .isEqualTo(Verifier.Result.BAD_AUTHENTICATOR);
        assertThat(verifier.verify(tampered)).isEqualTo(Verifier.Result.BAD_AUTHENTICATOR);
    }

    @Test
    void shouldRoundTripKeyFilesWithModeOwnerOnly() throws Exception {
        // when
        KeyFiles.write(dir.resolve("m.key"), k1);
        KeyFiles.write(dir.resolve("h.key"), k1.derive("h1"));

        // then
        assertThat(KeyFiles.readMaster(dir.resolve("m.key"), "x")).isEqualTo(k1);
        assertThat(KeyFiles.readHost(dir.resolve("h.key"), "x")).isEqualTo(k1.derive("h1"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("m.key"))))
                .isEqualTo("rw-------");
        assertThatThrownBy(() -> KeyFiles.write(dir.resolve("m.key"), k2))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void shouldRefuseAKeyFileGroupOrOthersCanRead() throws Exception {
        // given
        Path file = dir.resolve("m.key");
        KeyFiles.write(file, k1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        // then
        assertThatThrownBy(() -> KeyFiles.readMaster(file, "auth.master.key.files"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.master.key.files")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rw-r-----");
    }

    @Test
    void shouldDeriveDifferentKeysPerHostAndVersion() {
        assertThat(k1.derive("h1").key()).isNotEqualTo(k1.derive("h2").key());
        assertThat(k1.derive("h1").key()).isNotEqualTo(k2.derive("h1").key());
        assertThat(k1.derive("h1")).isEqualTo(k1.derive("h1"));
    }
}
