import pytest

from hostwatch_nova import config
from hostwatch_nova.policy import ServiceView, plan, reason_text
from tests.fakes import event

CFG = config.parse("")
FENCING = config.parse("[actions]\nfence_command = /bin/true {host}\n")


def svc(status="enabled", reason=None, forced=False):
    return ServiceView(id="x", host="h1", status=status, disabled_reason=reason, forced_down=forced)


def test_should_force_down_and_disable_with_reason_in_one_put_when_dead():
    # given
    dead = event(state="DEAD", since_ms=1764731529000)
    # when
    p = plan(dead, svc(), CFG, fresh=True)
    # then
    assert p.action == "force-down"
    assert p.body == {"status": "disabled", "forced_down": True,
                      "disabled_reason": "hostwatch: DEAD/HARDWARE_FAILURE_OR_SHUTDOWN since 2025-12-03T03:12:09Z"}
    assert not p.fence and p.evacuate


def test_should_fence_before_force_down_when_configured_for_dead():
    cfg = config.parse("[actions]\nfence_command = fence {host}\nfence_before_force_down = true\n")
    p = plan(event(state="DEAD"), svc(), cfg, fresh=True)
    assert p.fence and p.body["forced_down"] is True


def test_should_hold_isolated_without_fence_command():
    p = plan(event(state="ISOLATED", reason="NETWORK_UNREACHABLE"), svc(), CFG, fresh=True)
    assert p.action == "hold"
    assert "forced_down" not in p.body and p.body["status"] == "disabled"


def test_should_fence_isolated_before_forcing_it_down():
    p = plan(event(state="ISOLATED", reason="NETWORK_UNREACHABLE"), svc(), FENCING, fresh=True)
    assert p.fence and p.body["forced_down"] is True


def test_should_never_fence_an_old_isolated_event():
    p = plan(event(state="ISOLATED", reason="NETWORK_UNREACHABLE"), svc(), FENCING, fresh=False)
    assert not p.fence and "forced_down" not in (p.body or {})


def test_should_not_fence_again_when_already_fenced_for_this_event():
    p = plan(event(state="ISOLATED", reason="NETWORK_UNREACHABLE"), svc(), FENCING, fresh=True, fenced=True)
    assert not p.fence and p.body["forced_down"] is True


@pytest.mark.parametrize("state", ["PARTITIONED", "UNKNOWN", "SERVICE_UNREACHABLE"])
def test_should_disable_but_never_force_down_other_states(state):
    p = plan(event(state=state, reason="PROBE_INCONCLUSIVE"), svc(), FENCING, fresh=True)
    assert p.action == "disable" and "forced_down" not in p.body and not p.fence


def test_should_leave_an_operator_disabled_service_untouched_whatever_the_state():
    for state in ("DEAD", "RUNNING", "ISOLATED", "UNKNOWN"):
        p = plan(event(state=state), svc("disabled", "maintenance by ops"), FENCING, fresh=True)
        assert p.action == "untouched" and p.body is None and not p.fence


def test_should_leave_an_operator_forced_down_service_untouched_on_running():
    p = plan(event(state="RUNNING", reason="RECOVERED"), svc(forced=True), CFG, fresh=True)
    assert p.action == "untouched" and p.body is None


def test_should_lift_force_down_and_enable_on_running_when_hostwatch_set_them():
    p = plan(event(state="RUNNING", reason="RECOVERED"), svc("disabled", "hostwatch: DEAD/X since t", True), CFG,
             fresh=True)
    assert p.action == "lift-force-down" and p.body == {"status": "enabled", "forced_down": False}


def test_should_do_nothing_when_already_converged():
    e = event(state="DEAD")
    p = plan(e, svc("disabled", reason_text("hostwatch:", e), True), CFG, fresh=True)
    assert p.action == "in-sync" and p.body is None


def test_should_only_update_the_reason_when_a_forced_down_host_changes_state():
    p = plan(event(state="UNKNOWN", reason="PROBE_TIMEOUT"), svc("disabled", "hostwatch: DEAD/X since t", True),
             CFG, fresh=True)
    assert p.action == "disable" and set(p.body) == {"status", "disabled_reason"}


def test_should_respect_configured_disable_states():
    cfg = config.parse("[actions]\ndisable_states = DEAD, ISOLATED\n")
    assert plan(event(state="UNKNOWN"), svc(), cfg, fresh=True).action == "none"
