import pytest

from hostwatch_nova import config


def test_should_default_to_dry_run_with_all_non_running_states_disabling():
    cfg = config.parse("")
    assert cfg.dry_run is True
    assert cfg.disable_states == {"DEAD", "ISOLATED", "PARTITIONED", "UNKNOWN", "SERVICE_UNREACHABLE"}
    assert cfg.evacuation.mode == "off" and cfg.fence_command == ()


def test_should_pass_kafka_security_settings_through_and_take_overrides():
    cfg = config.parse("[kafka]\nsecurity.protocol = SASL_SSL\nsasl.mechanisms = PLAIN\n",
                       ["kafka.bootstrap.servers=b:9093", "registry.basic.auth.user.info=u:p"])
    assert cfg.kafka["security.protocol"] == "SASL_SSL" and cfg.kafka["bootstrap.servers"] == "b:9093"
    assert cfg.registry["basic.auth.user.info"] == "u:p" and "topic" not in cfg.kafka


@pytest.mark.parametrize("text, message", [
    ("[kafka]\nenable.auto.commit = true\n", "enable.auto.commit"),
    ("[actions]\ndry_run = maybe\n", "dry_run"),
    ("[actions]\ndisable_states = DEAD, RUNNING\n", "disable_states"),
    ("[actions]\nreason_prefix = x\n", "reason_prefix"),
    ("[actions]\nfence_comand = x\n", "fence_comand"),
    ("[evacuation]\nmode = always\n", "mode"),
    ("[actions]\nsimulate_nova = true\ndry_run = false\n", "simulate_nova"),
    ("[bogus]\n", "bogus"),
])
def test_should_reject_bad_values_naming_the_key(text, message):
    with pytest.raises(config.ConfigError, match=message):
        config.parse(text)


def test_should_parse_the_example_config():
    import os
    cfg = config.load(os.path.join(os.path.dirname(__file__), "..", "etc", "hostwatch-nova.conf"))
    assert cfg.dry_run is True and cfg.topic == "hostwatch.host-states"


SECURED = """
[kafka]
bootstrap.servers = 127.0.0.1:1
security.protocol = SASL_SSL
sasl.mechanism = SCRAM-SHA-512
sasl.username = hostwatch-nova
sasl.password = secret
ssl.ca.location = {ca}
[registry]
url = https://127.0.0.1:1/apis/ccompat/v7
ssl.ca.location = {ca}
basic.auth.credentials.source = USER_INFO
basic.auth.user.info = nova:secret
"""


def test_should_hand_scram_over_tls_and_registry_auth_to_the_real_clients():
    # the README's SASL_SSL settings: librdkafka and the registry client must both accept them as written
    # (librdkafka loads the CA file when the client is created, so it must be a real PEM bundle)
    from confluent_kafka import Consumer
    from confluent_kafka.avro import CachedSchemaRegistryClient
    import os
    ca = "/etc/ssl/certs/ca-certificates.crt"
    if not os.path.exists(ca):
        pytest.skip("no system CA bundle at " + ca)
    cfg = config.parse(SECURED.format(ca=ca))
    consumer = Consumer(dict(cfg.kafka, **{"enable.auto.commit": False}))
    consumer.close()
    registry = CachedSchemaRegistryClient(dict(cfg.registry))
    assert registry.url == "https://127.0.0.1:1/apis/ccompat/v7"
    assert registry._session.auth == ("nova", "secret")
    assert registry._session.verify == str(ca)
