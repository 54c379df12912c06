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
