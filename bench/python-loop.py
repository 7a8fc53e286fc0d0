"""The loop a user would write instead of graphload, following the Python driver's manual:
the official `neo4j` driver (with `neo4j-rust-ext` when installed), `execute_write` per
batch, a few threads each with a session of its own, sending graphload's own Cypher.

    python bench/python-loop.py spec.json

spec.json (written by bench/compare.mjs from graphload's plan):
    {"uri", "file", "cypher", "shape", "fields": [{"column", "type"}...], "nullValues", "batchSize", "threads", "dates"}
`fields` are the positions of graphload's row lists, in order (with "shape": "columns", one
list per field, as $c0, $c1, …); `type` is graphload's scalar type or null for text. Prints one line of JSON: counts, load time, and the CPU time and
peak RSS of this whole process (start-up included), all threads counted.
"""

import csv
import json
import queue
import resource
import sys
import threading
import time
from datetime import date

from neo4j import GraphDatabase, __version__ as driver_version

try:
    from neo4j._codec.packstream.v1 import _rust_pack
except ImportError:
    _rust_pack = None

spec = json.load(open(sys.argv[1]))
cypher = spec["cypher"]
# graphload's node and relationship statements read a batch as one list per field ($c0, $c1, …),
# cypher tasks as $rows, a list per row.
by_column = spec.get("shape") == "columns"
# Text columns go as lists, as a user would send them: the statement's one-string form of each is null.
text_nulls = {f"t{k}": None for k in spec.get("text", [])}
null_values = set(spec["nullValues"])


def iso_date(text):
    # Checked, then sent as text for the statement's date(), as graphload sends it: the server
    # then does the same work for both.
    return date.fromisoformat(text).isoformat()


# Integers go as INTEGER; the statement's toInteger() leaves them as they are. With "dates":
# "date" a date goes as a datetime.date, as many a user would send it: that costs this process
# about 8 µs more per value (the driver packs it through a Python dehydration hook, even with
# the Rust extension) and spares the server the parse.
CONVERTERS = {None: str, "string": str, "integer": int, "float": float, "date": date.fromisoformat if spec.get("dates") == "date" else iso_date}
for field in spec["fields"]:
    if field["type"] not in CONVERTERS:
        sys.exit(f"python-loop: no converter for type {field['type']}")

lock = threading.Lock()
totals = {"batches": 0, "attempts": 0, "nodesCreated": 0, "relationshipsCreated": 0, "unmatched": 0}
errors = []


def write(tx, rows):
    with lock:
        totals["attempts"] += 1
    result = tx.run(cypher, {**{f"c{k}": column for k, column in enumerate(rows)}, **text_nulls} if by_column else {"rows": rows})
    # Relationship statements return the batch position of every row whose endpoints were missing.
    unmatched = len(list(result))
    return unmatched, result.consume().counters


def writer(driver, batches):
    with driver.session() as session:
        while (rows := batches.get()) is not None:
            if errors:
                continue  # keep draining so the reader never blocks on a full queue
            try:
                unmatched, counters = session.execute_write(write, rows)
            except Exception as error:  # noqa: BLE001 - reported, and the run counts as failed
                errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                totals["batches"] += 1
                totals["unmatched"] += unmatched
                totals["nodesCreated"] += counters.nodes_created
                totals["relationshipsCreated"] += counters.relationships_created


def main():
    batch_size = spec["batchSize"]
    threads = spec["threads"]
    with GraphDatabase.driver(spec["uri"], auth=None) as driver:
        driver.verify_connectivity()
        started = time.perf_counter()
        batches = queue.Queue(maxsize=threads)
        workers = [threading.Thread(target=writer, args=(driver, batches)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        rows_read = 0
        with open(spec["file"], newline="") as source:
            reader = csv.reader(source)
            header = next(reader)
            picks = [(header.index(f["column"]), CONVERTERS[f["type"]]) for f in spec["fields"]]
            def new_batch():
                return [[] for _ in picks] if by_column else []

            batch, size = new_batch(), 0
            for record in reader:
                if by_column:
                    for (i, convert), column in zip(picks, batch):
                        column.append(None if record[i] in null_values else convert(record[i]))
                else:
                    batch.append([None if record[i] in null_values else convert(record[i]) for i, convert in picks])
                size += 1
                if size == batch_size:
                    batches.put(batch)
                    batch, size = new_batch(), 0
                rows_read += 1
            if size:
                batches.put(batch)
        for _ in workers:
            batches.put(None)
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "status": "failed" if errors else "completed",
                "rows": rows_read - totals["unmatched"],
                "rowsRead": rows_read,
                "nodesCreated": totals["nodesCreated"],
                "relationshipsCreated": totals["relationshipsCreated"],
                "seconds": seconds,
                "batches": totals["batches"],
                "retries": totals["attempts"] - totals["batches"] - len(errors),
                "failedBatches": len(errors),
                "errors": errors[:3],
                "cpuSeconds": usage.ru_utime + usage.ru_stime,
                "peakRssMb": round(usage.ru_maxrss / 1024),
                "driver": driver_version,
                "rust": _rust_pack is not None,
            }
        )
    )


main()
