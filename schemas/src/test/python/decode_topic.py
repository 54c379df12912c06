#!/usr/bin/python3
"""Reads N records of a hostwatch topic with the STOCK Confluent Avro deserializer and prints them as JSON lines.

Proves that a client which knows nothing of hostwatch (Debian's python3-confluent-kafka + python3-avro, talking to
the schema registry's Confluent API) decodes what hostwatch writes. Timestamps are printed as epoch milliseconds.
"""
import argparse
import datetime
import json
import sys
import time

from confluent_kafka import Consumer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def plain(value):
    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    # Keys are plain UTF-8 host ids (schemas/CONTRACT.md section 7); AvroConsumer of 1.7 would Avro-decode keys too,
    # so the stock registry client and message serializer decode the values of a plain consumer instead.
    deserializer = MessageSerializer(CachedSchemaRegistryClient({"url": args.registry}))
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "python-interop-%d" % time.time_ns(),
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.time() + args.timeout
    try:
        while seen < args.count and time.time() < deadline:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print("error: %s" % msg.error(), file=sys.stderr)
                continue
            value = deserializer.decode_message(msg.value())
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            print(json.dumps({"key": key, "value": plain(value)}, sort_keys=True), flush=True)
            seen += 1
    finally:
        consumer.close()
    return 0 if seen == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
