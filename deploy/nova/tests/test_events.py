import datetime

import pytest

from hostwatch_nova.events import Skip, from_record

UTC = datetime.timezone.utc


def record(host="h1"):
    return {"host": host, "state": "DEAD", "reason": "HARDWARE_FAILURE_OR_SHUTDOWN", "conditions": [],
            "since": datetime.datetime(2026, 12, 3, 3, 12, 9, tzinfo=UTC),
            "observedAt": datetime.datetime(2026, 12, 3, 3, 12, 10, tzinfo=UTC), "previousState": "RUNNING"}


def test_should_turn_a_decoded_record_into_an_event():
    e = from_record(b"h1", b"bytes", lambda v: record(), 2, 9)
    assert (e.host, e.state, e.since_iso(), e.observed_at_ms - e.since_ms, e.partition, e.offset) == (
        "h1", "DEAD", "2026-12-03T03:12:09Z", 1000, 2, 9)


def test_should_return_none_for_a_tombstone():
    assert from_record(b"h1", None, lambda v: record()) is None


@pytest.mark.parametrize("key, decode, why", [
    (None, lambda v: record(), "no_key"),
    (b"\xff\xfe", lambda v: record(), "bad_key"),
    (b"h1", lambda v: (_ for _ in ()).throw(ValueError("magic byte")), "undecodable"),
    (b"h2", lambda v: record("h1"), "key_mismatch"),
    (b"h1", lambda v: {"host": "h1"}, "undecodable"),
])
def test_should_skip_unusable_records_with_the_reason(key, decode, why):
    with pytest.raises(Skip) as skipped:
        from_record(key, b"x", decode)
    assert skipped.value.why == why
