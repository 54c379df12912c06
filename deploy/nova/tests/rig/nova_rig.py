"""A real Nova compute API from Debian's packages, for tests (see ../../../../../shared/NOVA-RIG.md).

nova-api (Zed) with sqlite databases, no Keystone (noauth2), no message bus (fake://), on a free loopback port.
nova-compute service rows are created through Nova's own objects; a small Neutron stub answers what evacuate asks.
The synced databases are built once per cache directory and copied for each rig: a db sync costs ~12 s.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PYTHON = "/usr/bin/python3"
TOKEN = "admin:admin"
MICROVERSION = "2.53"
_MANAGE = "import sys; from nova.cmd.manage import main; sys.exit(main())"
_API = "import sys; from nova.cmd.api import main; sys.exit(main())"


def unavailable_reason():
    """None when this machine can run the rig, else a one-line reason."""
    if not os.path.exists(PYTHON):
        return "%s missing" % PYTHON
    probe = subprocess.run([PYTHON, "-c", "import nova.cmd.api, openstack"], capture_output=True, text=True)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return "Debian python3-nova / python3-openstacksdk not installed (%s)" % last
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_paste(cache_dir):
    """api-paste.ini from the nova-common .deb (python3-nova lacks it); downloaded once into cache_dir."""
    target = os.path.join(cache_dir, "api-paste.ini")
    if os.path.exists(target):
        return target
    for known in ("/etc/nova/api-paste.ini", "/usr/share/nova-common/api-paste.ini"):
        if os.path.exists(known):
            shutil.copy(known, target)
            return target
    scratch = tempfile.mkdtemp(prefix="nova-common-", dir=cache_dir)
    try:
        subprocess.run(["apt-get", "download", "nova-common"], cwd=scratch, check=True, capture_output=True,
                       timeout=120)
        deb = [f for f in os.listdir(scratch) if f.endswith(".deb")][0]
        subprocess.run(["dpkg-deb", "-x", deb, "x"], cwd=scratch, check=True, timeout=60)
        shutil.copy(os.path.join(scratch, "x/usr/share/nova-common/api-paste.ini"), target + ".tmp")
        os.replace(target + ".tmp", target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


class NeutronStub:
    """Answers the two Neutron calls Nova's evacuate makes with an empty network (NOVA-RIG.md)."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0].rstrip("/")
                if path.endswith("/extensions"):
                    body = {"extensions": []}
                elif path.endswith("/ports"):
                    body = {"ports": []}
                elif path.endswith("/networks"):
                    body = {"networks": []}
                else:
                    body = {"versions": [{"id": "v2.0", "status": "CURRENT", "links": []}]}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class NovaRig:
    """One nova-api process and its databases under work_dir. Use as a context manager."""

    def __init__(self, work_dir, cache_dir):
        self.work_dir = os.path.abspath(work_dir)
        self.cache_dir = os.path.abspath(cache_dir)
        os.makedirs(self.work_dir, exist_ok=True)
        os.makedirs(self.cache_dir, exist_ok=True)
        self.port = free_port()
        self.endpoint = "http://127.0.0.1:%d/v2.1" % self.port
        self.neutron = None
        self.process = None
        self.pool = []  # seeded host names not handed out yet (tests)
        self.log_path = os.path.join(self.work_dir, "nova-api.log")
        self.conf = os.path.join(self.work_dir, "nova.conf")

    # -- set-up ------------------------------------------------------------------------------------------------
    def _write_conf(self, db_dir, port, neutron_url):
        text = """[DEFAULT]
transport_url = fake://
rpc_response_timeout = 3
long_rpc_timeout = 2
graceful_shutdown_timeout = 5
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = {port}
osapi_compute_workers = 1
use_stderr = true
state_path = {db_dir}
[api]
auth_strategy = noauth2
[wsgi]
api_paste_config = {paste}
[api_database]
connection = sqlite:///{db_dir}/nova_api.sqlite
[database]
connection = sqlite:///{db_dir}/nova.sqlite
[oslo_concurrency]
lock_path = {db_dir}/locks
[neutron]
auth_type = none
endpoint_override = {neutron}
[placement]
auth_type = none
endpoint_override = http://127.0.0.1:9/placement
""".format(port=port, db_dir=db_dir, paste=api_paste(self.cache_dir), neutron=neutron_url)
        return text

    def _manage(self, conf, *args):
        result = subprocess.run([PYTHON, "-c", _MANAGE, "--config-file", conf] + list(args), capture_output=True,
                                text=True, timeout=180)
        if result.returncode != 0:
            raise RuntimeError("nova-manage %s failed: %s" % (" ".join(args), result.stderr[-2000:]))

    def _synced_databases(self):
        """The cache's synced sqlite files (built on first use); cell mappings point at the work dir."""
        template = os.path.join(self.cache_dir, "db-template")
        if not os.path.exists(os.path.join(template, "done")):
            build = template + ".building-%d" % os.getpid()
            shutil.rmtree(build, ignore_errors=True)
            os.makedirs(build)
            conf = os.path.join(build, "nova.conf")
            with open(conf, "w") as f:
                f.write(self._write_conf(build, 9, "http://127.0.0.1:9"))
            self._manage(conf, "api_db", "sync")
            self._manage(conf, "cell_v2", "map_cell0", "--database_connection",
                         "sqlite:///%s/nova_cell0.sqlite" % build)
            self._manage(conf, "cell_v2", "create_cell", "--name", "cell1")
            self._manage(conf, "db", "sync")
            with open(os.path.join(build, "done"), "w") as f:
                f.write(build)  # the path the cell mappings name
            try:
                os.rename(build, template)
            except OSError:  # another rig won the race; theirs is as good
                shutil.rmtree(build, ignore_errors=True)
        return template

    def setup(self):
        template = self._synced_databases()
        db_dir = os.path.join(self.work_dir, "db")
        shutil.rmtree(db_dir, ignore_errors=True)
        os.makedirs(os.path.join(db_dir, "locks"))
        for name in ("nova_api.sqlite", "nova.sqlite", "nova_cell0.sqlite"):
            shutil.copy(os.path.join(template, name), os.path.join(db_dir, name))
        self.neutron = NeutronStub()
        with open(self.conf, "w") as f:
            f.write(self._write_conf(db_dir, self.port, self.neutron.url))
        # The cell mappings still name the template's files: point them at ours.
        script = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for uuid, conn in db.execute("select uuid, database_connection from cell_mappings").fetchall():
    db.execute("update cell_mappings set database_connection=? where uuid=?",
               (conn.replace(sys.argv[2], sys.argv[3]), uuid))
db.commit()
"""
        with open(os.path.join(template, "done")) as f:
            built_in = f.read().strip()
        subprocess.run([PYTHON, "-c", script, os.path.join(db_dir, "nova_api.sqlite"), built_in, db_dir], check=True)
        return self

    # -- the API process ---------------------------------------------------------------------------------------
    def start(self, timeout=60):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([PYTHON, "-c", _API, "--config-file", self.conf], stdout=log, stderr=log,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nova-api exited with %s; log %s:\n%s" % (self.process.returncode, self.log_path,
                                                                             self.log_tail()))
            try:
                self.request("GET", "/os-services")
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise RuntimeError("nova-api did not answer within %s s; log:\n%s" % (timeout, self.log_tail()))

    def stop(self, timeout=20):
        """SIGTERM to the API's process group (parent and worker), SIGKILL if it lingers."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        finally:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process = None

    def close(self):
        self.stop()
        if self.neutron:
            self.neutron.close()
            self.neutron = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    # -- data --------------------------------------------------------------------------------------------------
    def request(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.endpoint + path, data=data, method=method, headers={
            "X-Auth-Token": TOKEN, "X-OpenStack-Nova-API-Version": MICROVERSION,
            "Content-Type": "application/json", "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as response:
            text = response.read()
            return json.loads(text) if text else None

    def service(self, host):
        services = self.request("GET", "/os-services?binary=nova-compute&host=%s" % host)["services"]
        return services[0] if services else None

    def seed_services(self, hosts):
        """nova-compute service rows (and host mappings) created through Nova's objects; ~1.5 s per call."""
        script = """
import sys
from nova import config, context, objects
config.parse_args([sys.argv[0], '--config-file', sys.argv[1]])
objects.register_all()
ctx = context.get_admin_context()
cell = [c for c in objects.CellMappingList.get_all(ctx) if c.name == 'cell1'][0]
for host in sys.argv[2:]:
    with context.target_cell(ctx, cell) as cctx:
        objects.Service(cctx, host=host, binary='nova-compute', topic='compute', report_count=0).create()
    objects.HostMapping(ctx, host=host, cell_mapping=cell).create()
"""
        result = subprocess.run([PYTHON, "-c", script, self.conf] + list(hosts), capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            raise RuntimeError("seeding services failed: %s" % result.stderr[-2000:])

    def seed_instance(self, host, name="vm"):
        """An instance on host, seeded as evacuate needs it (NOVA-RIG.md); returns its uuid."""
        script = """
import sys
from oslo_utils import timeutils, uuidutils
from nova import config, context, objects
from nova.network import model as network_model
config.parse_args([sys.argv[0], '--config-file', sys.argv[1]])
objects.register_all()
ctx = context.get_admin_context()
cell = [c for c in objects.CellMappingList.get_all(ctx) if c.name == 'cell1'][0]
host, name = sys.argv[2], sys.argv[3]
flavor = objects.Flavor(ctx, name='hw-%s' % uuidutils.generate_uuid()[:8], memory_mb=64, vcpus=1, root_gb=1,
                        ephemeral_gb=0, swap=0, flavorid=uuidutils.generate_uuid(), extra_specs={})
flavor.create()
uuid = uuidutils.generate_uuid()
with context.target_cell(ctx, cell) as cctx:
    inst = objects.Instance(cctx, uuid=uuid, host=host, node=host, project_id='admin', user_id='admin',
                            display_name=name, vm_state='active', power_state=1, task_state=None,
                            flavor=flavor, old_flavor=None, new_flavor=None, instance_type_id=flavor.id,
                            memory_mb=64, vcpus=1, root_gb=1, ephemeral_gb=0, image_ref='',
                            launched_at=timeutils.utcnow(), availability_zone=None, metadata={},
                            system_metadata={})
    inst.create()
    inst.info_cache = objects.InstanceInfoCache(cctx, instance_uuid=uuid,
                                                network_info=network_model.NetworkInfo([]))
    inst.info_cache.save()
spec = objects.RequestSpec.from_components(ctx, uuid, objects.ImageMeta.from_dict({}), flavor, None, None, {},
                                           None, None, project_id='admin', user_id='admin')
spec.create()
objects.InstanceMapping(ctx, instance_uuid=uuid, cell_mapping=cell, project_id='admin', user_id='admin').create()
print(uuid)
"""
        result = subprocess.run([PYTHON, "-c", script, self.conf, host, name], capture_output=True, text=True,
                                timeout=120)
        if result.returncode != 0:
            raise RuntimeError("seeding an instance failed: %s" % result.stderr[-3000:])
        return result.stdout.strip().splitlines()[-1]


if __name__ == "__main__":  # manual check: python3 nova_rig.py <work dir>
    with NovaRig(sys.argv[1], os.path.join(sys.argv[1], "cache")).setup() as rig:
        started = time.monotonic()
        rig.start()
        print("nova-api up in %.1f s at %s" % (time.monotonic() - started, rig.endpoint))
        rig.seed_services(["h1"])
        print(rig.service("h1"))
