"""The client against a real ``runcast serve``: batching, retries, spool, kill -9, NaN, lifecycle."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
import unittest
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import runcast  # noqa: E402
from runcast.transport import HttpTransport  # noqa: E402

from server import LocalServer  # noqa: E402


class CountingTransport(HttpTransport):
    """The real HTTP transport, recording each body's point count (and failing while told to)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches = []

    def push(self, body):
        import json

        reply = super().push(body)
        self.batches.append(len(json.loads(body)["points"]))
        return reply


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def init(self, name, **kwargs):
        kwargs.setdefault("spool_dir", self.server.spool_dir)
        return runcast.init(project="py", name=name, server=self.server.url, token=self.server.token, **kwargs)

    def loss_count(self, name):
        run = self.server.run(name, "py")
        return {s["key"]: s["points"] for s in run["series"]}

    def test_batches_are_bounded_and_every_point_is_stored_once(self):
        transport = CountingTransport(self.server.url, self.server.token)
        run = self.init("batching", transport=transport, batch_size=700, flush_interval=60)
        for step in range(5000):
            run.log({"loss": 3.0 - step * 1e-4, "lr": 1e-3}, step=step)
        self.assertTrue(run.flush(30))
        run.log({"loss": 2.0}, step=5000)
        run.finish()
        self.assertEqual(sum(transport.batches), 5001)
        self.assertLessEqual(max(transport.batches), 700)
        self.assertGreaterEqual(len(transport.batches), 8)
        self.assertEqual(self.loss_count("batching"), {"loss": 5001, "lr": 5000})
        stored = self.server.run("batching", "py")
        self.assertEqual((stored["status"], stored["statusSource"]), ("finished", "push"))
        self.assertEqual(os.listdir(self.server.spool_dir) if os.path.isdir(self.server.spool_dir) else [], [])

    def test_nan_inf_tensors_and_junk_never_raise(self):
        class Scalar:  # what a numpy scalar / 0-d tensor offers
            def __init__(self, x):
                self.x = x

            def item(self):
                return self.x

        class Vector:
            def item(self):
                raise ValueError("only one element tensors can be converted to Python scalars")

            def numel(self):
                return 3

        run = self.init("nan")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run.log({"loss": float("nan"), "grad_norm": float("inf")}, step=0)
            run.log({"loss": Scalar(2.5), "grad_norm": Scalar(-math.inf), "flag": True}, step=1)
            for step in range(2, 5):
                run.log({"loss": 2.0, "text": "hello", "vec": Vector(), "none": None}, step=step)
            run.log({"loss": 2.0}, step=-3)
            run.log(None, step=6)  # not even a dict
        run.finish()
        messages = [str(w.message) for w in caught]
        self.assertEqual(sum("'text'" in m for m in messages), 1, messages)  # once per metric
        self.assertEqual(sum("'vec'" in m for m in messages), 1, messages)
        rid = self.server.run("nan", "py")["id"]
        loss = self.server.points(rid, "loss")
        self.assertEqual([s for s, _ in loss], [0, 1, 2, 3, 4])
        self.assertTrue(math.isnan(loss[0][1]))
        self.assertEqual(loss[1][1], 2.5)
        self.assertEqual(self.server.points(rid, "grad_norm")[0][1], math.inf)
        self.assertEqual(self.server.points(rid, "grad_norm")[1][1], -math.inf)
        self.assertEqual(self.server.points(rid, "flag"), [(1, 1.0)])

    def test_an_exception_in_the_with_block_marks_the_run_crashed(self):
        with self.assertRaises(RuntimeError):
            with self.init("crash", config={"batch_size": 512}, tags=["t1"]) as run:
                run.log({"loss": 3.0}, step=0)
                raise RuntimeError("boom")
        stored = self.server.run("crash", "py")
        self.assertEqual(stored["status"], "crashed")
        self.assertEqual(stored["config"], {"batch_size": 512})
        self.assertEqual(stored["tags"], ["t1"])

    def test_init_under_an_existing_name_updates_that_run(self):
        for i in range(2):
            with self.init("same", group="g") as run:
                run.log({"loss": 3.0 - i}, step=10 * i)
        named = [r for r in self.server.runs() if r["name"] == "same"]
        self.assertEqual(len(named), 1)
        self.assertEqual(named[0]["group"], "g")
        self.assertEqual(self.loss_count("same"), {"loss": 2})

    def test_interpreter_exit_flushes_and_an_uncaught_exception_marks_crashed(self):
        for name, tail, status in (("exits", "", "finished"), ("raises", "1 / 0", "crashed")):
            script = (
                "import sys, runcast\n"
                "url, token, spool, name = sys.argv[1:5]\n"
                "run = runcast.init(project='py', name=name, server=url, token=token, spool_dir=spool, flush_interval=60)\n"
                "for step in range(3000):\n"
                "    run.log({'loss': 3.0}, step=step)\n" + tail + "\n"
            )
            child = subprocess.run(
                [sys.executable, "-c", script, self.server.url, self.server.token, self.server.spool_dir, name],
                capture_output=True, text=True, timeout=120,
                env={**os.environ, "PYTHONPATH": os.path.dirname(HERE)},
            )
            self.assertEqual(child.returncode, 0 if status == "finished" else 1, child.stderr)
            stored = self.server.run(name, "py")
            self.assertEqual(stored["status"], status)
            self.assertEqual(self.loss_count(name), {"loss": 3000})


class RestartTest(unittest.TestCase):
    def setUp(self):
        self.server = LocalServer().start()

    def tearDown(self):
        self.server.close()

    def test_retries_after_the_server_restarts(self):
        run = runcast.init(
            project="py", name="restart", server=self.server.url, token=self.server.token,
            spool_dir=self.server.spool_dir, batch_size=100, flush_interval=0.05,
        )
        for step in range(300):
            run.log({"loss": 3.0}, step=step)
        self.assertTrue(run.flush(30))
        self.server.stop()
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            for step in range(300, 1000):
                run.log({"loss": 2.0}, step=step)
            time.sleep(0.5)  # the sender fails and backs off meanwhile
            self.assertFalse(run.flush(0.3))
            with open(run._spool.path) as f:
                spooled = sum(1 for _ in f)
            self.assertGreaterEqual(spooled, 7)  # every unsent batch is on disk
            self.server.start()
            run.finish(timeout=30)
        stored = self.server.run("restart", "py")
        self.assertEqual(stored["series"][0]["points"], 1000)
        self.assertEqual(stored["status"], "finished")
        self.assertFalse(os.path.exists(run._spool.path))

    def test_an_unreachable_server_spools_and_the_next_init_resends_exact_counts(self):
        self.server.stop()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run = runcast.init(
                project="py", name="spooled", server=self.server.url, token=self.server.token,
                spool_dir=self.server.spool_dir, batch_size=250, flush_interval=0.05,
            )
            for step in range(1000):
                run.log({"loss": 3.0 - step * 1e-3}, step=step)
            run.finish(timeout=1.0)
        self.assertTrue(any("kept in" in str(w.message) for w in caught))
        spools = os.listdir(self.server.spool_dir)
        self.assertEqual(len(spools), 1)
        self.server.start()
        # The next process of this run sends what the first left behind (re-sent lines are idempotent).
        again = runcast.init(
            project="py", name="spooled", server=self.server.url, token=self.server.token,
            spool_dir=self.server.spool_dir,
        )
        again.log({"loss": 1.0}, step=1000)
        again.finish()
        stored = self.server.run("spooled", "py")
        self.assertEqual(stored["series"][0]["points"], 1001)
        self.assertEqual(stored["status"], "finished")
        self.assertEqual(os.listdir(self.server.spool_dir), [])

    def test_kill_9_loses_at_most_the_last_unsent_batch_and_the_spool_holds_the_rest(self):
        self.server.stop()  # unreachable: everything must go to the spool before the kill
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_TRAINER, self.server.url, self.server.token, self.server.spool_dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONPATH": os.path.dirname(HERE)},
        )
        logged = int(child.stdout.readline())
        child.kill()  # SIGKILL: no atexit, no flush
        child.wait()
        child.stdout.close()
        self.server.start()
        spools = [os.path.join(self.server.spool_dir, f) for f in os.listdir(self.server.spool_dir)]
        self.assertEqual(len(spools), 1)
        self.server.cli("ingest", spools[0], "--json")
        rid = self.server.run("killed", "py")["id"]
        steps = [s for s, _ in self.server.points(rid, "loss")]
        self.assertEqual(steps, list(range(len(steps))))  # a prefix: nothing lost in between
        self.assertGreaterEqual(len(steps), logged - 200)  # at most one batch (200) unsent
        self.assertLessEqual(len(steps), logged)


KILLED_TRAINER = r"""
import sys, time, runcast
url, token, spool = sys.argv[1:4]
run = runcast.init(project="py", name="killed", server=url, token=token, spool_dir=spool,
                   batch_size=200, flush_interval=0.05)
for step in range(5000):
    run.log({"loss": 3.0 - step * 1e-4}, step=step)
    if step % 100 == 0:
        time.sleep(0.001)
time.sleep(0.5)  # at least one drain after the last log
print(5000, flush=True)
time.sleep(60)
"""


if __name__ == "__main__":
    unittest.main()
