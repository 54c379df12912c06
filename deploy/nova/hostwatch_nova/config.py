"""The service's configuration: one INI file (configparser), values checked once and handed out typed.

Sections: [kafka] (librdkafka settings passed through, plus topic), [registry] (url plus the Confluent
client's auth/TLS settings passed through), [nova] (which cloud), [actions], [evacuation], [metrics].
See etc/hostwatch-nova.conf for every key with its meaning.
"""
import configparser
import dataclasses
import shlex

STATES = ("RUNNING", "DEAD", "SERVICE_UNREACHABLE", "ISOLATED", "PARTITIONED", "UNKNOWN")
NON_RUNNING = tuple(s for s in STATES if s != "RUNNING")


class ConfigError(ValueError):
    """A bad configuration value; the message names the key."""


@dataclasses.dataclass(frozen=True)
class EvacuationConfig:
    mode: str = "off"  # off | evacuate | masakari
    max_hosts_per_domain_per_hour: int = 1
    max_evacuations_per_minute: int = 10
    masakari_segment: str = ""


@dataclasses.dataclass(frozen=True)
class Config:
    kafka: dict
    topic: str
    registry: dict
    nova: dict
    dry_run: bool = True
    simulate_nova: bool = False
    disable_states: frozenset = frozenset(NON_RUNNING)
    reason_prefix: str = "hostwatch:"
    fence_command: tuple = ()
    fence_timeout_s: float = 60.0
    fence_before_force_down: bool = False
    max_action_age_s: float = 900.0
    retry_initial_s: float = 1.0
    retry_max_s: float = 60.0
    workers: int = 4
    evacuation: EvacuationConfig = EvacuationConfig()
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0

    @property
    def compute_api_version(self):
        return self.nova.get("compute_api_version", "2.53")


DEFAULTS = {
    "kafka": {"bootstrap.servers": "127.0.0.1:9092", "group.id": "hostwatch-nova", "topic": "hostwatch.host-states"},
    "registry": {"url": "http://127.0.0.1:8081/apis/ccompat/v7"},
    "nova": {},
    "actions": {},
    "evacuation": {},
    "metrics": {},
}
# Keys the service owns: a user value would break the delivery guarantees.
OWNED_KAFKA_KEYS = ("enable.auto.commit", "enable.auto.offset.store", "auto.offset.reset", "enable.partition.eof")


def _bool(section, key, text):
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError("[%s] %s: expected true/false, got %r" % (section, key, text))


def _number(section, key, text, kind=float, minimum=0):
    try:
        value = kind(text)
    except ValueError:
        raise ConfigError("[%s] %s: expected a number, got %r" % (section, key, text)) from None
    if value < minimum:
        raise ConfigError("[%s] %s: must be >= %s, got %s" % (section, key, minimum, value))
    return value


def parse(text="", overrides=()):
    """Config from INI text plus 'section.key=value' overrides (the CLI's --set)."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # librdkafka keys are case-sensitive
    parser.read_dict(DEFAULTS)
    parser.read_string(text)
    for override in overrides:
        name, sep, value = override.partition("=")
        section, dot, key = name.partition(".")
        if not sep or not dot or not key:
            raise ConfigError("--set %r: expected section.key=value" % override)
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, key, value)
    unknown = set(parser.sections()) - set(DEFAULTS)
    if unknown:
        raise ConfigError("unknown section(s): %s" % ", ".join(sorted(unknown)))

    kafka = dict(parser["kafka"])
    topic = kafka.pop("topic")
    for key in OWNED_KAFKA_KEYS:
        if key in kafka:
            raise ConfigError("[kafka] %s is set by hostwatch-nova itself (at-least-once commits, reads the "
                              "compacted topic from the beginning)" % key)
    registry = dict(parser["registry"])
    if not registry.get("url"):
        raise ConfigError("[registry] url is required")

    actions = parser["actions"]
    known_actions = {"dry_run", "simulate_nova", "disable_states", "reason_prefix", "fence_command",
                     "fence_timeout_s", "fence_before_force_down", "max_action_age_s", "retry_initial_s",
                     "retry_max_s", "workers"}
    _no_unknown("actions", actions, known_actions)
    disable_states = frozenset(s.strip().upper() for s in actions.get("disable_states", ",".join(NON_RUNNING))
                               .split(",") if s.strip())
    bad = disable_states - set(NON_RUNNING)
    if bad:
        raise ConfigError("[actions] disable_states: %s not among %s" % (sorted(bad), ", ".join(NON_RUNNING)))
    prefix = actions.get("reason_prefix", "hostwatch:")
    if len(prefix.strip()) < 3:
        raise ConfigError("[actions] reason_prefix: needs at least 3 characters (it tells hostwatch's services "
                          "from an operator's)")
    evac = parser["evacuation"]
    _no_unknown("evacuation", evac, {"mode", "max_hosts_per_domain_per_hour", "max_evacuations_per_minute",
                                     "masakari_segment"})
    mode = evac.get("mode", "off").strip().lower()
    if mode not in ("off", "evacuate", "masakari"):
        raise ConfigError("[evacuation] mode: off, evacuate or masakari, got %r" % mode)
    metrics = parser["metrics"]
    _no_unknown("metrics", metrics, {"listen"})
    host, _, port = metrics.get("listen", "127.0.0.1:0").rpartition(":")

    config = Config(
        kafka=kafka, topic=topic, registry=registry, nova=dict(parser["nova"]),
        dry_run=_bool("actions", "dry_run", actions.get("dry_run", "true")),
        simulate_nova=_bool("actions", "simulate_nova", actions.get("simulate_nova", "false")),
        disable_states=disable_states,
        reason_prefix=prefix,
        fence_command=tuple(shlex.split(actions.get("fence_command", ""))),
        fence_timeout_s=_number("actions", "fence_timeout_s", actions.get("fence_timeout_s", "60"), minimum=1),
        fence_before_force_down=_bool("actions", "fence_before_force_down",
                                      actions.get("fence_before_force_down", "false")),
        max_action_age_s=_number("actions", "max_action_age_s", actions.get("max_action_age_s", "900")),
        retry_initial_s=_number("actions", "retry_initial_s", actions.get("retry_initial_s", "1"), minimum=0.01),
        retry_max_s=_number("actions", "retry_max_s", actions.get("retry_max_s", "60"), minimum=0.01),
        workers=_number("actions", "workers", actions.get("workers", "4"), kind=int, minimum=1),
        evacuation=EvacuationConfig(
            mode=mode,
            max_hosts_per_domain_per_hour=_number("evacuation", "max_hosts_per_domain_per_hour",
                                                  evac.get("max_hosts_per_domain_per_hour", "1"), kind=int),
            max_evacuations_per_minute=_number("evacuation", "max_evacuations_per_minute",
                                               evac.get("max_evacuations_per_minute", "10"), kind=int),
            masakari_segment=evac.get("masakari_segment", "")),
        metrics_host=host or "127.0.0.1",
        metrics_port=_number("metrics", "listen", port or "0", kind=int),
    )
    if config.simulate_nova and not config.dry_run:
        raise ConfigError("[actions] simulate_nova needs dry_run = true (there is no Nova to apply to)")
    if mode == "masakari" and not config.evacuation.masakari_segment:
        pass  # Masakari finds the segment from the host; the key is informational
    return config


def _no_unknown(section, values, known):
    unknown = set(values) - known
    if unknown:
        raise ConfigError("[%s] unknown key(s): %s" % (section, ", ".join(sorted(unknown))))


def load(path, overrides=()):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), overrides)
