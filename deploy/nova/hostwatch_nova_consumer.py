#!/usr/bin/python3
"""Reference Nova consumer of hostwatch.host-states.

Reads host-state events with the stock Confluent Avro deserializer (Debian: python3-confluent-kafka,
python3-avro, python3-requests) against any Confluent-compatible schema registry, prints each event as one JSON
line, and decides what Nova should do:

  DEAD                      -> force-down the host's nova-compute service (os-services forced_down=true),
                               so nova allows evacuation
  ISOLATED                  -> force-down only if --fence-command succeeded for the host (the VMs may still be
                               running: evacuating an unfenced isolated host runs them twice)
  RUNNING                   -> lift a force-down this consumer set
  anything else             -> no action (UNKNOWN, PARTITIONED, SERVICE_UNREACHABLE need a human or a restart)

Dry-run by default: it prints the action it would take ("action" lines). With --apply and Keystone
credentials (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, OS_USER_DOMAIN_NAME,
OS_PROJECT_DOMAIN_NAME) it calls the Nova API (microversion 2.53: PUT /os-services/{id}).
"""
import argparse
import datetime
import json
import os
import shlex
import subprocess
import sys
import time

from confluent_kafka import Consumer, KafkaError
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

NOVA_MICROVERSION = "2.53"


def plain(value):
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def emit(kind, **fields):
    fields["type"] = kind
    print(json.dumps(fields, sort_keys=True), flush=True)


class Nova:
    """The two Nova calls we need, authenticated with a Keystone v3 password token."""

    def __init__(self, env):
        import requests  # only needed when applying
        self.requests = requests
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": env["OS_USERNAME"], "password": env["OS_PASSWORD"],
                "domain": {"name": env.get("OS_USER_DOMAIN_NAME", "Default")}}}},
            "scope": {"project": {"name": env["OS_PROJECT_NAME"],
                                  "domain": {"name": env.get("OS_PROJECT_DOMAIN_NAME", "Default")}}}}}
        response = requests.post(env["OS_AUTH_URL"].rstrip("/") + "/auth/tokens", json=body, timeout=10)
        response.raise_for_status()
        self.token = response.headers["X-Subject-Token"]
        catalog = response.json()["token"]["catalog"]
        self.url = next(e["url"] for s in catalog if s["type"] == "compute"
                        for e in s["endpoints"] if e["interface"] == "public")

    def _headers(self):
        return {"X-Auth-Token": self.token, "OpenStack-API-Version": "compute " + NOVA_MICROVERSION}

    def set_forced_down(self, host, forced_down):
        services = self.requests.get(self.url + "/os-services", params={"binary": "nova-compute", "host": host},
                                     headers=self._headers(), timeout=10)
        services.raise_for_status()
        for service in services.json()["services"]:
            update = self.requests.put(self.url + "/os-services/" + str(service["id"]),
                                       json={"forced_down": forced_down}, headers=self._headers(), timeout=10)
            update.raise_for_status()


class Decider:
    """Turns host-state events into Nova actions; remembers which hosts it forced down."""

    def __init__(self, fence_command, nova):
        self.fence_command = fence_command
        self.nova = nova
        self.forced_down = set()

    def fence(self, host):
        if not self.fence_command:
            return False
        command = [part.replace("{host}", host) for part in shlex.split(self.fence_command)]
        try:
            return subprocess.run(command, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    def on_event(self, host, state):
        status = state["state"]
        if status == "DEAD":
            self.force_down(host, "confirmed DEAD (%s)" % state["reason"])
        elif status == "ISOLATED":
            if self.fence(host):
                self.force_down(host, "ISOLATED and fenced")
            else:
                emit("action", host=host, action="hold", why="ISOLATED but not fenced: VMs may still run")
        elif status == "RUNNING" and host in self.forced_down:
            self.act(host, False, "RUNNING again (%s)" % state["reason"])
            self.forced_down.discard(host)
        else:
            emit("action", host=host, action="none", why="%s/%s needs no Nova action" % (status, state["reason"]))

    def force_down(self, host, why):
        if host not in self.forced_down:
            self.act(host, True, why)
            self.forced_down.add(host)

    def act(self, host, forced_down, why):
        action = "force-down" if forced_down else "lift-force-down"
        if self.nova is None:
            emit("action", host=host, action=action, why=why, dry_run=True)
            return
        try:
            self.nova.set_forced_down(host, forced_down)
            emit("action", host=host, action=action, why=why, dry_run=False)
        except Exception as error:  # report and keep consuming: the next event retries
            emit("error", host=host, action=action, error=str(error))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default=os.environ.get("HOSTWATCH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    parser.add_argument("--registry", default=os.environ.get("HOSTWATCH_SCHEMA_REGISTRY_URL",
                                                            "http://127.0.0.1:8081/apis/ccompat/v7"))
    parser.add_argument("--topic", default="hostwatch.host-states")
    parser.add_argument("--group", default="hostwatch-nova-consumer")
    parser.add_argument("--from-beginning", action="store_true", help="read the whole compacted topic first")
    parser.add_argument("--apply", action="store_true", help="call the Nova API (default: dry-run)")
    parser.add_argument("--fence-command", default="", help="e.g. 'ipmitool ... power off {host}'")
    parser.add_argument("--max-events", type=int, default=0, help="stop after N events (tests)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after N seconds (tests)")
    args = parser.parse_args()

    nova = Nova(os.environ) if args.apply else None
    decider = Decider(args.fence_command, nova)
    # Keys are plain UTF-8 host ids; values are Confluent wire-format Avro.
    values = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry}))
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest" if args.from_beginning else "latest",
        "enable.auto.commit": True,
    })
    consumer.subscribe([args.topic])
    deadline = time.time() + args.timeout if args.timeout else None
    seen = 0
    emit("started", topic=args.topic, dry_run=not args.apply)
    try:
        while (not args.max_events or seen < args.max_events) and (deadline is None or time.time() < deadline):
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    emit("error", error=str(msg.error()))
                continue
            host = msg.key().decode("utf-8")
            if msg.value() is None:
                continue  # tombstone: host decommissioned
            try:
                state = plain(values.decode_message(msg.value()))
            except Exception as error:  # undecodable: say so, never crash the consumer
                emit("error", host=host, offset=msg.offset(), error="undecodable: %s" % error)
                continue
            emit("event", host=host, state=state["state"], reason=state["reason"],
                 conditions=state["conditions"], previous=state.get("previousState"), since=state["since"])
            decider.on_event(host, state)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
