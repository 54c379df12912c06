"""IT helpers: topics, an Avro HostState producer (Confluent wire format, as the detector writes), and the
service as a child process whose JSON lines the test reads."""
import datetime
import json
import os
import signal
import subprocess
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.dirname(HERE)
AVRO_DIR = os.path.join(MODULE, "..", "..", "schemas", "src", "main", "avro")


def await_true(condition, timeout, what, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %s s waiting for %s" % (timeout, what))
        time.sleep(interval)


def host_state_schema():
    """HostState.avsc with its referenced records inlined: the schema the detector registers."""
    def load(name):
        with open(os.path.join(AVRO_DIR, name + ".avsc")) as f:
            return json.load(f)
    schema = load("HostState")
    for field in schema["fields"]:
        if field["name"] == "evidence":
            for sub in field["type"]["fields"]:
                if sub["name"] == "ping":
                    sub["type"] = ["null", load("PingOutcome")]
                elif sub["name"] == "storage":
                    sub["type"] = ["null", load("StorageOutcome")]
    return schema


def new_topic(cluster, partitions=3):
    from confluent_kafka.admin import AdminClient, NewTopic
    name = "it-%s.hostwatch.host-states" % uuid.uuid4().hex[:8]
    admin = AdminClient({"bootstrap.servers": cluster["bootstrap"]})
    futures = admin.create_topics([NewTopic(name, partitions, 1, config={"cleanup.policy": "compact"})])
    futures[name].result(30)
    await_true(lambda: all(p.leader >= 0 for p in admin.list_topics(name, timeout=10).topics[name]
                           .partitions.values()) and len(admin.list_topics(name, timeout=10).topics[name]
                                                         .partitions) == partitions, 30, "partition leaders")
    return name


def _datetime(ms):
    # python3-avro takes timestamp-millis as aware datetimes
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)


class StateProducer:
    """transactional: each record in its own transaction, as the detector (exactly-once) writes: every partition
    then ends with a commit marker, an offset no consumer ever receives."""

    def __init__(self, cluster, topic, transactional=False):
        import avro.schema
        from confluent_kafka import Producer
        from confluent_kafka.avro import CachedSchemaRegistryClient
        from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
        self.topic = topic
        self.schema = avro.schema.parse(json.dumps(host_state_schema()))
        self.serializer = MessageSerializer(CachedSchemaRegistryClient({"url": cluster["registry"]}))
        # murmur2_random: the same partition for a key as the Java detector's producer
        settings = {"bootstrap.servers": cluster["bootstrap"], "partitioner": "murmur2_random",
                    "enable.idempotence": True}
        if transactional:
            settings["transactional.id"] = "it-" + uuid.uuid4().hex[:8]
        self.producer = Producer(settings)
        self.transactional = transactional
        if transactional:
            self.producer.init_transactions(30)

    def send(self, host, state, reason, age_s=0.0, since_ms=None):
        now = int((time.time() - age_s) * 1000)
        record = {"host": host, "state": state, "reason": reason, "conditions": [],
                  "since": _datetime(since_ms or now), "observedAt": _datetime(now), "previousState": None,
                  "evidence": {"lastHeartbeatAt": None, "ping": None, "storage": None, "probers": []},
                  "detectorVersion": "it"}
        value = self.serializer.encode_record_with_schema(self.topic, self.schema, record, is_key=False)
        self.raw(host.encode(), value)
        return now

    def raw(self, key, value):
        errors = []
        if self.transactional:
            self.producer.begin_transaction()
        self.producer.produce(self.topic, key=key, value=value, on_delivery=lambda err, msg: errors.append(err))
        if self.transactional:
            self.producer.commit_transaction(30)
        remaining = self.producer.flush(30)
        assert remaining == 0 and errors == [None], "record not delivered: %s" % errors


class ServiceProcess:
    """hostwatch-nova as a child process (python -m hostwatch_nova), stdout JSON lines to a file."""

    def __init__(self, cluster, topic, nova_endpoint, extra_conf="", args=(), work_dir=None, group=None):
        self.work_dir = work_dir or tempfile.mkdtemp(prefix="hostwatch-nova-it-")
        os.makedirs(self.work_dir, exist_ok=True)
        self.conf = os.path.join(self.work_dir, "hostwatch-nova.conf")
        with open(self.conf, "w") as f:
            f.write("[kafka]\nbootstrap.servers = %s\ngroup.id = it-%s\ntopic = %s\n"
                    "[registry]\nurl = %s\n" % (cluster["bootstrap"], group or uuid.uuid4().hex[:8], topic,
                                                 cluster["registry"]))
            if nova_endpoint:
                f.write("[nova]\nendpoint = %s\ntoken = admin:admin\n" % nova_endpoint)
            f.write(extra_conf)
        self.args = list(args)
        self.process = None
        self.out_path = os.path.join(self.work_dir, "out.jsonl")
        self.err_path = os.path.join(self.work_dir, "err.log")
        self.started_at = 0

    def start(self):
        env = dict(os.environ, PYTHONPATH=MODULE, PYTHONUNBUFFERED="1")
        with open(self.out_path, "ab") as out, open(self.err_path, "ab") as err:
            self.process = subprocess.Popen(["/usr/bin/python3", "-m", "hostwatch_nova", "--config", self.conf]
                                            + self.args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                            cwd=MODULE, env=env, start_new_session=True)
        self.started_at = time.time()
        return self

    def lines(self):
        result = []
        with open(self.out_path) as f:
            for line in f:
                if line.startswith("{"):
                    try:
                        result.append(json.loads(line))
                    except ValueError:
                        pass  # a line cut by kill -9
        return result

    def actions(self, host=None):
        return [l for l in self.lines() if l["type"] == "action" and (host is None or l.get("host") == host)]

    def await_line(self, predicate, timeout, what):
        def found():
            self.check_alive()
            return next((l for l in self.lines() if predicate(l)), None)
        return await_true(found, timeout, what)

    def check_alive(self):
        if self.process.poll() is not None and self.process.returncode != 0:
            raise AssertionError("hostwatch-nova exited %s:\n%s" % (self.process.returncode, self.stderr()))

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()[-4000:]

    def kill9(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout=20):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def wait(self, timeout):
        return self.process.wait(timeout)
