"""hostwatch-nova against a real broker + registry and a real Nova API (Debian's nova-api, tests/rig).

Each test uses its own topic and its own host names on the session's Nova; every service process is stopped in
a finalizer, also on failure.
"""
import json
import os
import statistics
import time
import uuid

import pytest

from tests.harness import ServiceProcess, StateProducer, await_true, new_topic

pytestmark = pytest.mark.it
CONVERGE_S = 30


@pytest.fixture
def topic(cluster):
    return new_topic(cluster)


@pytest.fixture
def producer(cluster, topic):
    return StateProducer(cluster, topic)


@pytest.fixture
def services(cluster, topic, rig, tmp_path):
    started = []

    def start(extra_conf="", args=("--apply",), endpoint=None):
        s = ServiceProcess(cluster, topic, endpoint or rig.endpoint, extra_conf, args,
                           work_dir=str(tmp_path / ("svc%d" % len(started))))
        os.makedirs(s.work_dir, exist_ok=True)
        started.append(s)
        return s.start()

    yield start
    for s in started:
        s.stop()


def hosts(rig, n=1):
    names = ["it-%s-%d" % (uuid.uuid4().hex[:6], i) for i in range(n)]
    rig.seed_services(names)
    return names


def forced(rig, host):
    s = rig.service(host)
    return s["forced_down"] and s["status"] == "disabled" and s["disabled_reason"]


def test_should_force_down_dead_with_reason_and_lift_on_running(rig, producer, services):
    # given
    host, = hosts(rig)
    svc = services()
    # when
    since = producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    # then: read back through the Nova API
    await_true(lambda: forced(rig, host), CONVERGE_S, "forced_down + disabled in Nova")
    s = rig.service(host)
    assert s["disabled_reason"] == "hostwatch: DEAD/HARDWARE_FAILURE_OR_SHUTDOWN since %s" % time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(since / 1000))
    # when
    producer.send(host, "RUNNING", "RECOVERED")
    # then
    await_true(lambda: rig.service(host)["status"] == "enabled", CONVERGE_S, "enabled again")
    svc.await_line(lambda l: l.get("action") == "lift-force-down", CONVERGE_S, "the lift reported")
    s = rig.service(host)
    assert s["forced_down"] is False and s["disabled_reason"] is None
    assert [a["action"] for a in svc.actions(host)] == ["force-down", "lift-force-down"]


def test_should_never_touch_an_operator_disabled_service(rig, producer, services):
    # given
    host, other = hosts(rig, 2)
    rig.request("PUT", "/os-services/%s" % rig.service(host)["id"],
                {"status": "disabled", "disabled_reason": "ops: disk replacement"})
    svc = services()
    # when
    producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    producer.send(host, "RUNNING", "RECOVERED")
    producer.send(other, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    # then: the other host proves the service got that far
    await_true(lambda: forced(rig, other), CONVERGE_S, "the other host forced down")
    svc.await_line(lambda l: l.get("host") == host and l.get("action") == "untouched", CONVERGE_S, "untouched")
    s = rig.service(host)
    assert (s["status"], s["disabled_reason"], s["forced_down"]) == ("disabled", "ops: disk replacement", False)


def test_should_force_nothing_when_the_fence_fails_for_isolated(rig, producer, services, tmp_path):
    # given
    host, = hosts(rig)
    log = tmp_path / "fence.log"
    svc = services("[actions]\nfence_command = sh -c 'echo {host} >> %s; exit 1'\n" % log)
    # when
    producer.send(host, "ISOLATED", "NETWORK_UNREACHABLE")
    # then
    svc.await_line(lambda l: l.get("host") == host and l.get("action") == "hold", CONVERGE_S, "hold")
    s = rig.service(host)
    assert log.read_text().split() == [host], "the fence command ran once"
    assert s["forced_down"] is False
    assert s["status"] == "disabled" and s["disabled_reason"].startswith("hostwatch: ISOLATED/NETWORK_UNREACHABLE")


def test_should_force_down_isolated_after_a_successful_fence(rig, producer, services, tmp_path):
    host, = hosts(rig)
    log = tmp_path / "fence.log"
    services("[actions]\nfence_command = sh -c 'echo {host} >> %s'\n" % log)
    producer.send(host, "ISOLATED", "NETWORK_UNREACHABLE")
    await_true(lambda: forced(rig, host), CONVERGE_S, "forced down after fencing")
    assert log.read_text().split() == [host]


def test_should_leave_nova_unchanged_and_never_fence_in_dry_run(rig, producer, services, tmp_path):
    # given: the default config (dry run) with a fence command that would leave a mark
    dead, isolated, running = hosts(rig, 3)
    marker = tmp_path / "fenced"
    before = {h: rig.service(h) for h in (dead, isolated, running)}
    svc = services("[actions]\nfence_command = touch %s\n" % marker, args=())
    # when
    producer.send(dead, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    producer.send(isolated, "ISOLATED", "NETWORK_UNREACHABLE")
    producer.send(running, "UNKNOWN", "PROBE_TIMEOUT")
    # then: it printed what it would do ...
    for host, action in ((dead, "force-down"), (isolated, "force-down"), (running, "disable")):
        svc.await_line(lambda l: l.get("host") == host and l.get("action") == action, CONVERGE_S, action)
    assert svc.actions(isolated)[0]["action"] == "fence"
    assert all(a["dry_run"] is True for a in svc.actions())
    # ... and did nothing
    assert not marker.exists()
    assert {h: rig.service(h) for h in before} == before


def test_should_skip_unusable_records_and_unknown_hosts_without_crashing(rig, producer, services):
    host, = hosts(rig)
    svc = services()
    # (a record without a key cannot reach a compacted topic: the broker refuses it; unit-tested in test_events)
    producer.raw(b"garbage-host", b"\x00\x00\x00\xff\xffnot avro")
    producer.send("not-a-nova-host-%s" % uuid.uuid4().hex[:6], "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    await_true(lambda: forced(rig, host), CONVERGE_S, "the good record still applied")
    whys = {l["why"] for l in svc.lines() if l["type"] == "skip"}
    assert {"undecodable", "unknown_host"} <= whys
    assert svc.process.poll() is None


def test_should_not_replay_an_old_isolated_as_a_fence_at_start_up(rig, producer, services, tmp_path):
    # given: an ISOLATED verdict two hours old, already on the topic when the service starts
    host, = hosts(rig)
    log = tmp_path / "fence.log"
    producer.send(host, "ISOLATED", "NETWORK_UNREACHABLE", age_s=7200)
    # when
    svc = services("[actions]\nfence_command = sh -c 'echo {host} >> %s'\nmax_action_age_s = 600\n" % log)
    # then: converged (disabled with the reason) but never fenced, never forced down
    svc.await_line(lambda l: l.get("host") == host and l["type"] == "action", CONVERGE_S, "an action")
    await_true(lambda: rig.service(host)["status"] == "disabled", CONVERGE_S, "disabled")
    assert not log.exists() and rig.service(host)["forced_down"] is False
