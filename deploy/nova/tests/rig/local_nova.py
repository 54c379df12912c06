"""A real Nova API plus hostwatch-nova applying to it, for the quick start's --nova (deploy/run-local.sh --nova).

    /usr/bin/python3 -m tests.rig.local_nova --work-dir D --hosts h1,h2 --bootstrap B --registry R  (cwd deploy/nova)

Starts the test rig's nova-api (Debian's python3-nova, sqlite, noauth2: see nova_rig.py), creates a nova-compute
service for each host, then runs `hostwatch-nova --apply` against it, consuming hostwatch.host-states. Prints one
line `READY <endpoint> <token>` on stdout when both run, then waits for SIGTERM/SIGINT and stops both. Exits 2
with a reason when this machine cannot run Nova, 1 when a part fails to start or dies. Everything else goes to
log files in the work directory (nova-api.log, hostwatch-nova.jsonl, hostwatch-nova.log).
"""
import argparse
import os
import signal
import subprocess
import sys
import threading

from tests.rig.nova_rig import PYTHON, TOKEN, NovaRig, unavailable_reason

MODULE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def consumer_config(path, bootstrap, registry, endpoint, topic):
    with open(path, "w") as f:
        f.write("[kafka]\nbootstrap.servers = %s\ngroup.id = hostwatch-nova-quickstart\ntopic = %s\n"
                "[registry]\nurl = %s\n"
                "[nova]\nendpoint = %s\ntoken = %s\n"
                "[actions]\ndry_run = false\nretry_initial_s = 0.5\nretry_max_s = 5\n"
                % (bootstrap, topic, registry, endpoint, TOKEN))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="local_nova", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work-dir", required=True)
    parser.add_argument("--hosts", required=True, help="comma-separated compute host names")
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", default="hostwatch.host-states")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="stop when stdin closes: the parent that holds its other end died (quick start)")
    args = parser.parse_args(argv)

    reason = unavailable_reason()
    if reason:
        print("local_nova: cannot run a Nova API here: %s (apt-get install -y python3-nova python3-openstacksdk "
              "python3-keystoneauth1 python3-confluent-kafka python3-avro python3-requests "
              "python3-prometheus-client)" % reason, file=sys.stderr)
        return 2
    work = os.path.abspath(args.work_dir)
    os.makedirs(work, exist_ok=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if args.exit_on_stdin_eof:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()

    with NovaRig(os.path.join(work, "nova"), os.path.join(work, "nova-cache")).setup() as rig:
        rig.start()
        rig.seed_services([h for h in args.hosts.split(",") if h])
        conf = os.path.join(work, "hostwatch-nova.conf")
        consumer_config(conf, args.bootstrap, args.registry, rig.endpoint, args.topic)
        env = dict(os.environ, PYTHONPATH=MODULE, PYTHONUNBUFFERED="1")
        with open(os.path.join(work, "hostwatch-nova.jsonl"), "ab") as out, \
                open(os.path.join(work, "hostwatch-nova.log"), "ab") as err:
            consumer = subprocess.Popen([PYTHON, "-m", "hostwatch_nova", "--config", conf, "--apply"], stdout=out,
                                        stderr=err, stdin=subprocess.DEVNULL, cwd=MODULE, env=env)
        try:
            print("READY %s %s" % (rig.endpoint, TOKEN), flush=True)
            while not stop.wait(0.5):
                if consumer.poll() is not None:
                    print("local_nova: hostwatch-nova exited with %s; see %s/hostwatch-nova.log"
                          % (consumer.returncode, work), file=sys.stderr)
                    return 1
                if rig.process.poll() is not None:
                    print("local_nova: nova-api exited with %s; see %s" % (rig.process.returncode, rig.log_path),
                          file=sys.stderr)
                    return 1
        finally:
            if consumer.poll() is None:
                consumer.terminate()
                try:
                    consumer.wait(20)
                except subprocess.TimeoutExpired:
                    consumer.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
