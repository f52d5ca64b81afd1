"""Driven by bench/client.ts: the Python client's cost per log() call and its sustained push rate.

argv: server url, token, spool dir, phase (overhead|push). Prints one JSON document on stdout.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))

import runcast  # noqa: E402

url, token, spool, phase = sys.argv[1:5]
CHUNK = 1000
CHUNKS = int(os.environ.get("BENCH_CLIENT_CHUNKS", "300"))
PUSH_STEPS = int(os.environ.get("BENCH_CLIENT_PUSH_STEPS", "500000"))
clock = time.perf_counter_ns


def empty_loop(start):
    """The training loop without the logger: the same dict built, the same arithmetic."""
    t = clock()
    for step in range(start, start + CHUNK):
        metrics = {"loss": 3.0 - step * 1e-7, "lr": 3e-4}
    return (clock() - t) / CHUNK


def logging_loop(run, start):
    log = run.log
    t = clock()
    for step in range(start, start + CHUNK):
        log({"loss": 3.0 - step * 1e-7, "lr": 3e-4}, step=step)
    return (clock() - t) / CHUNK



def overhead():
    """Interleaved chunks of the empty loop and the logging loop (a real run sending to the server
    in the background meanwhile): medians of ns per call."""
    run = runcast.init(project="bench", name="overhead", server=url, token=token, spool_dir=spool)
    base, logged = [], []
    for i in range(CHUNKS):
        base.append(empty_loop(i * CHUNK))
        logged.append(logging_loop(run, i * CHUNK))
    run.finish(timeout=120)
    base_ns = statistics.median(base)
    log_ns = statistics.median(logged)
    return {"baselineNs": base_ns, "logNs": log_ns, "overheadNs": log_ns - base_ns,
            "chunks": CHUNKS, "callsPerChunk": CHUNK}


def push():
    """PUSH_STEPS steps of 2 metrics logged as fast as possible, until the server has stored them
    all (flush returned True)."""
    run = runcast.init(project="bench", name="throughput", server=url, token=token, spool_dir=spool)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    for step in range(PUSH_STEPS):
        run.log({"loss": 3.0 - step * 1e-7, "lr": 3e-4}, step=step)
    t_logged = time.perf_counter() - t0
    stored = run.flush(timeout=900)
    t_stored = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    sent = run.sent_points
    run.finish(timeout=60)
    return {"steps": PUSH_STEPS, "metricsPerStep": 2, "accepted": sent, "allStored": stored,
            "logSeconds": t_logged, "storedSeconds": t_stored, "clientCpuSeconds": cpu}


print(json.dumps(overhead() if phase == "overhead" else push()))
