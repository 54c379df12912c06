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

    def start(extra_conf="", args=("--apply",), endpoint=None, group=None):
        s = ServiceProcess(cluster, topic, endpoint or rig.endpoint, extra_conf, args,
                           work_dir=str(tmp_path / ("svc%d" % len(started))), group=group)
        os.makedirs(s.work_dir, exist_ok=True)
        started.append(s)
        return s.start()

    yield start
    for s in started:
        s.stop()


def hosts(rig, n=1):
    """n fresh nova-compute services, from a pool seeded once per session (seeding costs ~1.5 s per call)."""
    if len(rig.pool) < n:
        more = ["it-%s-%d" % (uuid.uuid4().hex[:6], i) for i in range(max(n, 40))]
        rig.seed_services(more)
        rig.pool.extend(more)
    names, rig.pool[:] = rig.pool[:n], rig.pool[n:]
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


def test_should_catch_up_and_act_when_the_topic_is_written_with_transactions(cluster, topic, rig, services):
    # given: the detector's way of writing (exactly-once: one commit marker after each record), events for fewer
    # hosts than the topic has partitions, so some partitions hold only markers or nothing new after them
    producer = StateProducer(cluster, topic, transactional=True)
    dead, running = hosts(rig, 2)
    producer.send(running, "RUNNING", "HEARTBEATING")
    producer.send(dead, "RUNNING", "HEARTBEATING")
    producer.send(dead, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    # when: the service starts after them
    svc = services()
    # then: it knows it caught up (every partition's end is a marker) and converges Nova with no newer record
    svc.await_line(lambda l: l["type"] == "caught-up", CONVERGE_S, "caught up on a transactional topic")
    await_true(lambda: forced(rig, dead), CONVERGE_S, "the dead host forced down")
    assert rig.service(running)["status"] == "enabled"


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


def test_should_hold_isolated_while_the_fence_fails_and_retry_it_until_it_works(rig, producer, services, tmp_path):
    # given: a fence command that fails until the file "ok" exists
    host, = hosts(rig)
    log, ok = tmp_path / "fence.log", tmp_path / "ok"
    svc = services("[actions]\nfence_command = sh -c 'echo {host} >> %s; test -e %s'\n" % (log, ok))
    # when
    producer.send(host, "ISOLATED", "NETWORK_UNREACHABLE")
    # then: held (disabled, not forced down) and the fence retried
    svc.await_line(lambda l: l.get("host") == host and l.get("action") == "hold", CONVERGE_S, "hold")
    await_true(lambda: log.exists() and len(log.read_text().split()) >= 2, CONVERGE_S, "the fence retried")
    s = rig.service(host)
    assert s["forced_down"] is False
    assert s["status"] == "disabled" and s["disabled_reason"].startswith("hostwatch: ISOLATED/NETWORK_UNREACHABLE")
    # when: the fence works again
    ok.touch()
    # then
    await_true(lambda: forced(rig, host), CONVERGE_S, "forced down once the fence succeeded")


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


def test_should_converge_after_kill_9_mid_way_without_repeating_finished_hosts(rig, producer, services, tmp_path):
    # given: six DEAD hosts, fenced first (1 s each), converged one at a time
    names = hosts(rig, 6)
    log = tmp_path / "fence.log"
    # a short session: the killed member holds its partitions until the session times out (default 45 s)
    args = ("--apply", "--set", "kafka.session.timeout.ms=6000")
    conf = ("[actions]\nfence_before_force_down = true\nworkers = 1\n"
            "fence_command = sh -c 'echo {host} >> %s; sleep 1'\n" % log)
    for host in names:
        producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    group = "kill9-%s" % uuid.uuid4().hex[:6]
    first = services(conf, args, group=group)
    await_true(lambda: log.exists() and len(log.read_text().split()) >= 2, CONVERGE_S, "two fences started")
    # when: kill -9 mid-way, then a new process of the same group
    first.kill9()
    done_before = {h for h in names if rig.service(h)["forced_down"]}
    services(conf, args, group=group)
    # then: everything converges; hosts Nova already reflected are never fenced again; at most the one
    # in flight at the kill is fenced twice (at-least-once)
    await_true(lambda: all(forced(rig, h) for h in names), 60, "all six forced down")
    fences = log.read_text().split()
    assert set(fences) == set(names)
    repeated = {h for h in names if fences.count(h) > 1}
    assert len(repeated) <= 1 and not (repeated & done_before), (fences, done_before)
    assert len(done_before) >= 1


def test_should_retry_while_nova_is_down_30_s_and_converge_after(rig, producer, services, tmp_path):
    from tests.rig.nova_rig import free_port
    import urllib.request
    # given
    host, = hosts(rig)
    port = free_port()
    svc = services("[actions]\nretry_initial_s = 0.5\nretry_max_s = 5\n[metrics]\nlisten = 127.0.0.1:%d\n" % port)
    svc.await_line(lambda l: l["type"] == "caught-up", CONVERGE_S, "caught up")
    down_at = time.monotonic()
    rig.stop()
    try:
        # when: a DEAD event arrives while the API is down
        producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
        await_true(lambda: len([l for l in svc.lines() if l["type"] == "retry"]) >= 3, CONVERGE_S, "retries")
        metrics = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5).read().decode()
        assert "hostwatch_nova_backlog_hosts 1.0" in metrics
        assert "hostwatch_nova_retries_total" in metrics
        await_true(lambda: time.monotonic() - down_at >= 30, 40, "30 s of outage", interval=0.5)
    finally:
        rig.start()
    # then
    await_true(lambda: forced(rig, host), CONVERGE_S, "forced down once Nova is back")
    svc.await_line(lambda l: l.get("action") == "force-down", CONVERGE_S, "force-down reported")
    def health():
        return json.loads(urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=5).read())
    await_true(lambda: health()["backlog_hosts"] == 0, 5, "backlog drained")
    assert health() == {"alive": True, "caught_up": True, "backlog_hosts": 0}


def test_should_evacuate_instances_of_a_dead_host_through_the_real_api(rig, producer, services):
    # given: an instance on the host (no conductor here: Nova accepts the evacuation, nothing rebuilds it)
    host, = hosts(rig)
    server = rig.seed_instance(host)
    svc = services("[evacuation]\nmode = evacuate\n")
    # when
    producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    # then
    svc.await_line(lambda l: l.get("action") == "evacuate", CONVERGE_S, "evacuate")
    s = rig.request("GET", "/servers/%s" % server)["server"]
    assert (s["status"], s["OS-EXT-STS:task_state"]) == ("REBUILD", "rebuilding")
    migrations = [m for m in rig.request("GET", "/os-migrations")["migrations"] if m["instance_uuid"] == server]
    assert [(m["migration_type"], m["status"], m["source_compute"]) for m in migrations] == [
        ("evacuation", "accepted", host)]
    # and a restart does not evacuate again (the instance is already rebuilding)
    svc.stop()
    again = services("[evacuation]\nmode = evacuate\n")
    again.await_line(lambda l: l["type"] == "caught-up", CONVERGE_S, "caught up")
    again.await_line(lambda l: l.get("host") == host and l["type"] == "action", CONVERGE_S, "reconciled")
    assert not [l for l in again.actions(host) if l["action"] == "evacuate"]
    assert len([m for m in rig.request("GET", "/os-migrations")["migrations"]
                if m["instance_uuid"] == server]) == 1


def test_should_measure_dead_event_to_forced_down(rig, producer, services):
    # given
    names = hosts(rig, 10)
    services().await_line(lambda l: l["type"] == "caught-up", CONVERGE_S, "caught up")
    latencies = []
    # when: one DEAD at a time, timed from produce (acked) to forced_down read back from the API
    for host in names:
        sent = time.monotonic()
        producer.send(host, "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
        await_true(lambda: rig.service(host)["forced_down"], CONVERGE_S, "forced down", interval=0.02)
        latencies.append((time.monotonic() - sent) * 1000)
    # then
    result = {"samples_ms": [round(x) for x in latencies], "p50_ms": round(statistics.median(latencies)),
              "max_ms": round(max(latencies)), "loadavg": os.getloadavg()}
    out = os.path.join(os.path.dirname(os.path.dirname(__file__)), "target", "nova-latency.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f)
    print("DEAD -> forced_down:", result)
    assert max(latencies) < CONVERGE_S * 1000


def test_should_replay_every_event_in_order_against_a_simulated_nova(cluster, topic, producer, tmp_path):
    # given: what the quick start's fault matrix reads (FaultMatrixIT via NovaConsumer.java): a whole history
    producer.send("c3", "DEAD", "HARDWARE_FAILURE_OR_SHUTDOWN")
    producer.send("c2", "ISOLATED", "NETWORK_UNREACHABLE")
    producer.send("c6", "PARTITIONED", "HEARTBEAT_PATH_BROKEN")
    producer.send("c3", "RUNNING", "RECOVERED")
    # when
    svc = ServiceProcess(cluster, topic, None, "",
                         ["--simulate-nova", "--replay", "--max-records", "4", "--timeout", "60"],
                         work_dir=str(tmp_path / "replay"))
    try:
        assert svc.start().wait(90) == 0, svc.stderr()
    finally:
        svc.stop()
    # then: every event decided, in order per host (hosts may interleave: three partitions); dry run throughout
    def decided(host):
        return [a["action"] for a in svc.actions(host)]
    assert (decided("c3"), decided("c2"), decided("c6")) == (["force-down", "lift-force-down"], ["hold"],
                                                              ["disable"])
    assert all(a["dry_run"] for a in svc.actions())
