"""hostwatch-nova: converge Nova's nova-compute services to hostwatch.host-states.

Dry run unless the config says dry_run = false (or --apply is given): it then prints each action it would take
as a JSON line and calls no mutating API, and never runs the fence command.
"""
import argparse
import logging
import signal
import sys
import threading

from . import config as config_module
from .metrics import Metrics
from .service import Emitter, Service


def build_parser():
    parser = argparse.ArgumentParser(prog="hostwatch-nova", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", help="INI file (see etc/hostwatch-nova.conf); defaults apply without one")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                        help="override one config value, e.g. --set kafka.bootstrap.servers=host:9092")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="call Nova's mutating APIs (sets actions.dry_run=false)")
    mode.add_argument("--dry-run", action="store_true", help="force a dry run whatever the config says")
    parser.add_argument("--simulate-nova", action="store_true",
                        help="dry run without a cloud: every host starts enabled (quick start, demos)")
    parser.add_argument("--replay", action="store_true",
                        help="with --simulate-nova: decide on every event in order instead of the latest per host "
                             "(what hostwatch-nova would have done, e.g. over hostwatch.host-state-history)")
    parser.add_argument("--max-records", type=int, default=0, help="tests: stop after N records, all converged")
    parser.add_argument("--timeout", type=float, default=0, help="tests: stop after N seconds")
    return parser


def run(argv, stop=None, stdout=None):
    args = build_parser().parse_args(argv)
    overrides = list(args.set)
    if args.apply:
        overrides.append("actions.dry_run=false")
    if args.dry_run or args.simulate_nova:
        overrides.append("actions.dry_run=true")
    if args.simulate_nova:
        overrides.append("actions.simulate_nova=true")
    if args.replay and not args.simulate_nova:
        print("hostwatch-nova: --replay needs --simulate-nova (it never acts on a real cloud)", file=sys.stderr)
        return 2
    try:
        cfg = config_module.load(args.config, overrides) if args.config else config_module.parse("", overrides)
    except (OSError, config_module.ConfigError) as error:
        print("hostwatch-nova: bad configuration: %s" % error, file=sys.stderr)
        return 2

    from confluent_kafka import Consumer
    from .events import registry_decoder
    from .nova import Nova, SimulatedNova, connect

    emit = Emitter(stdout)
    metrics = Metrics()
    if cfg.metrics_port:
        metrics.serve(cfg.metrics_host, cfg.metrics_port)
    nova = SimulatedNova() if cfg.simulate_nova else Nova(connect(cfg.nova, cfg.compute_api_version),
                                                           cfg.compute_api_version)
    # enable.partition.eof: the service learns it has caught up from the consumer reaching each partition's end
    consumer = Consumer(dict(cfg.kafka, **{"enable.auto.commit": False, "enable.auto.offset.store": False,
                                           "auto.offset.reset": "earliest", "enable.partition.eof": True}))
    service = Service(cfg, consumer, registry_decoder(cfg.registry), nova, metrics, emit, replay=args.replay)
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    emit("started", topic=cfg.topic, dry_run=cfg.dry_run, simulate_nova=cfg.simulate_nova,
         disable_states=sorted(cfg.disable_states), evacuation=cfg.evacuation.mode,
         metrics_port=cfg.metrics_port)
    service.run(stop, args.max_records, args.timeout)
    emit("stopped")
    return 0


def main():
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
