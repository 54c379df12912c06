"""What Nova should look like for a host, given its latest hostwatch state: a pure function, no I/O.

The reason prefix is what makes the service restart-safe: a service is "hostwatch's" exactly when its disabled
reason starts with the prefix, and that lives in Nova, not in this process's memory.
"""
import dataclasses

from .events import iso

FORCE_DOWN_STATES = ("DEAD", "ISOLATED")


@dataclasses.dataclass(frozen=True)
class ServiceView:
    """The fields of a nova-compute service that matter here, as read from GET /os-services."""
    id: str
    host: str
    status: str  # enabled | disabled
    disabled_reason: str = None
    forced_down: bool = False
    zone: str = None


@dataclasses.dataclass(frozen=True)
class Plan:
    action: str  # the name printed and counted (see ACTIONS)
    body: dict = None  # the PUT /os-services/{id} body, None when nothing to change
    fence: bool = False  # run the fence command first; force down only if it succeeds
    evacuate: bool = False  # hand the host's instances to recovery once forced_down is confirmed
    why: str = ""


# action names: force-down, lift-force-down, enable, disable, hold, in-sync, untouched, none
def reason_text(prefix, event):
    return "%s %s/%s since %s" % (prefix, event.state, event.reason, iso(event.since_ms))


def owned(prefix, service):
    return bool(service.disabled_reason) and service.disabled_reason.startswith(prefix)


def plan(event, service, config, fresh, fenced=False):
    """The change that converges service to event.

    fresh: the event is younger than max_action_age_s, so fencing and evacuation may start from it; an older
    event (start-up reconciliation of the compacted topic) only converges Nova's flags.
    fenced: the fence command already succeeded for this event (a retry after a failed PUT).
    """
    prefix = config.reason_prefix
    if service.status == "disabled" and not owned(prefix, service):
        return Plan("untouched", why="disabled by someone else (%r): never touched" % service.disabled_reason)
    if service.forced_down and not owned(prefix, service):
        return Plan("untouched", why="forced down by someone else: never touched")

    if event.state == "RUNNING":
        if not owned(prefix, service):
            return Plan("in-sync", why="RUNNING and enabled")
        body = {"status": "enabled"}
        if service.forced_down:
            body["forced_down"] = False
            return Plan("lift-force-down", body, why="RUNNING again (%s)" % event.reason)
        return Plan("enable", body, why="RUNNING again (%s)" % event.reason)

    if event.state not in config.disable_states:
        return Plan("none", why="%s/%s is not configured to disable" % (event.state, event.reason))

    body = {}
    reason = reason_text(prefix, event)
    if service.status != "disabled" or service.disabled_reason != reason:
        body.update({"status": "disabled", "disabled_reason": reason})
    wants_force = event.state in FORCE_DOWN_STATES
    needs_fence = event.state == "ISOLATED" or config.fence_before_force_down
    if service.forced_down:
        # Only RUNNING lifts a force-down: a host that was DEAD and is now UNKNOWN may be mid-evacuation.
        return Plan("disable" if body else "in-sync", body or None, evacuate=wants_force and fresh,
                    why="forced down by hostwatch earlier; %s" % reason)
    if not wants_force:
        return Plan("disable" if body else "in-sync", body or None, why=reason)
    if needs_fence and not fenced:
        if not fresh:
            return Plan("disable" if body else "in-sync", body or None,
                        why="%s is older than max_action_age_s: not fencing on replay" % event.state)
        if not config.fence_command:
            return Plan("hold", body or None, why="%s but no fence command: VMs may still run" % event.state)
        body["forced_down"] = True
        return Plan("force-down", body, fence=True, evacuate=fresh, why="%s, fenced first" % reason)
    body["forced_down"] = True
    return Plan("force-down", body, evacuate=fresh, why=reason)
