"""Nova through openstacksdk/keystoneauth: auth, token refresh, CA bundle, region and interface come from
clouds.yaml (or OS_* variables); the requests themselves are the documented compute API at microversion 2.53.
"""
import datetime

from .policy import ServiceView


class NovaError(Exception):
    """A call that did not reach its effect; retried with backoff."""


def connect(nova_settings, api_version):
    """An openstacksdk Connection from [nova]: cloud = <clouds.yaml entry> (or OS_* environment when empty);
    token + endpoint for a fixed token (auth_type admin_token: noauth2 test clouds, service tokens)."""
    import openstack
    settings = dict(nova_settings)
    settings.pop("compute_api_version", None)
    if settings.get("token"):
        endpoint = settings.pop("endpoint")
        token = settings.pop("token")
        return openstack.connect(auth_type="admin_token", auth={"token": token, "endpoint": endpoint},
                                 compute_endpoint_override=endpoint, compute_api_version=api_version,
                                 load_yaml_config=False, load_envvars=False, **settings)
    cloud = settings.pop("cloud", None) or None
    return openstack.connect(cloud=cloud, compute_api_version=api_version, **settings)


class Nova:
    """The calls hostwatch-nova makes. Every method raises NovaError on failure."""

    def __init__(self, connection, api_version="2.53", timeout=30):
        self.compute = connection.compute
        self.connection = connection
        self.api_version = api_version
        self.timeout = timeout

    def _call(self, method, url, **kwargs):
        try:
            response = self.compute.request(url, method, microversion=self.api_version, raise_exc=False,
                                            timeout=self.timeout, **kwargs)
        except Exception as error:  # keystoneauth: connection refused, timeouts, auth failures
            raise NovaError("%s %s: %s" % (method, url, error)) from error
        if response.status_code >= 400:
            raise NovaError("%s %s: HTTP %s %s" % (method, url, response.status_code, response.text[:300]))
        return response.json() if response.content else None

    def service(self, host):
        """The host's nova-compute service, or None when Nova does not know the host."""
        services = self._call("GET", "/os-services", params={"binary": "nova-compute", "host": host})["services"]
        services = [s for s in services if s["host"] == host]
        if not services:
            return None
        s = services[0]
        return ServiceView(id=str(s["id"]), host=s["host"], status=s["status"],
                           disabled_reason=s.get("disabled_reason"), forced_down=bool(s.get("forced_down")),
                           zone=s.get("zone"))

    def update_service(self, service_id, body):
        self._call("PUT", "/os-services/%s" % service_id, json=body)

    def servers_on(self, host):
        servers = self._call("GET", "/servers/detail", params={"all_tenants": 1, "host": host})["servers"]
        return [{"id": s["id"], "task_state": s.get("OS-EXT-STS:task_state"), "status": s.get("status")}
                for s in servers]

    def evacuate(self, server_id):
        self._call("POST", "/servers/%s/action" % server_id, json={"evacuate": {}})

    def notify_masakari(self, host, segment=""):
        """Masakari host-failure notification (COMPUTE_HOST / STOPPED): Masakari then does the recovery."""
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
        try:
            self.connection.instance_ha.create_notification(
                type="COMPUTE_HOST", hostname=host, generated_time=now,
                payload={"event": "STOPPED", "host_status": "NORMAL", "cluster_status": "OFFLINE"})
        except Exception as error:
            raise NovaError("masakari notification for %s: %s" % (host, error)) from error


class SimulatedNova:
    """Dry run without a cloud: every host starts enabled and up; would-be changes are remembered so the printed
    decisions follow the same sequence a real Nova would give (used by the quick start's fault matrix)."""

    def __init__(self):
        self.services = {}

    def service(self, host):
        return self.services.setdefault(host, ServiceView(id="simulated-" + host, host=host, status="enabled"))

    def apply(self, host, body):
        s = self.service(host)
        status = body.get("status", s.status)
        reason = body.get("disabled_reason", s.disabled_reason) if status == "disabled" else None
        self.services[host] = ServiceView(id=s.id, host=host, status=status, disabled_reason=reason,
                                          forced_down=body.get("forced_down", s.forced_down), zone=s.zone)

    def update_service(self, service_id, body):
        raise AssertionError("dry run never updates")

    def servers_on(self, host):
        return []
