"""hostwatch.host-states records -> HostEvent, with every way a record can be unusable told apart."""
import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class HostEvent:
    host: str
    state: str
    reason: str
    conditions: tuple
    since_ms: int
    observed_at_ms: int
    previous: str = None
    partition: int = -1
    offset: int = -1

    def since_iso(self):
        return iso(self.since_ms)


class Skip(Exception):
    """A record that is logged, counted and skipped; .why is the metric label."""

    def __init__(self, why, detail=""):
        super().__init__("%s: %s" % (why, detail) if detail else why)
        self.why = why


def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ms(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    return int(value)


def from_record(key, value, decode, partition=-1, offset=-1):
    """HostEvent from raw key/value bytes; None for a tombstone; raises Skip for unusable records."""
    if key is None:
        raise Skip("no_key")
    try:
        host = key.decode("utf-8")
    except UnicodeDecodeError:
        raise Skip("bad_key") from None
    if value is None:
        return None
    try:
        record = decode(value)
    except Exception as error:  # the registry client raises many types; all mean "cannot read this record"
        raise Skip("undecodable", str(error)) from None
    try:
        if record["host"] != host:
            raise Skip("key_mismatch", "key %r, value host %r" % (host, record["host"]))
        return HostEvent(host=host, state=str(record["state"]), reason=str(record["reason"]),
                         conditions=tuple(str(c) for c in record.get("conditions") or ()),
                         since_ms=_ms(record["since"]), observed_at_ms=_ms(record["observedAt"]),
                         previous=record.get("previousState"), partition=partition, offset=offset)
    except (KeyError, TypeError, ValueError) as error:
        raise Skip("undecodable", "missing/bad field %s" % error) from None


def registry_decoder(registry_settings):
    """decode(bytes) -> dict, with the stock Confluent client (confluent_kafka.avro, Debian python3-avro)."""
    from confluent_kafka.avro import CachedSchemaRegistryClient
    from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
    serializer = MessageSerializer(CachedSchemaRegistryClient(dict(registry_settings)))
    return serializer.decode_message
