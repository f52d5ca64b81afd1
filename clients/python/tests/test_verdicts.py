"""Verdicts and forecasts through the server's tRPC API, and early stopping from a loop."""

from __future__ import annotations

import math
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import runcast  # noqa: E402

from server import LocalServer  # noqa: E402

SCHEDULE = {"kind": "constant", "peak": 1e-3, "warmup": 0, "total": 10_000}


def loss_at(step: int, floor: float = 2.5) -> float:
    return floor + 4 / math.sqrt(1 + step / 50) + 0.01 * math.sin(step / 37)


class VerdictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def init(self, name, **kwargs):
        return runcast.init(
            project="v", name=name, server=self.server.url, token=self.server.token,
            spool_dir=self.server.spool_dir, schedule=SCHEDULE, **kwargs,
        )

    def test_should_stop_and_forecast(self):
        run = self.init("verdicts", group="g")
        for step in range(0, 3001, 10):
            run.log({"loss": loss_at(step), "lr": 1e-3}, step=step)
        unreachable = run.should_stop(target=1.0)
        self.assertEqual(unreachable.verdict, "stop", unreachable.reason)
        self.assertTrue(unreachable.stop)
        self.assertLess(unreachable.probability, 0.05)
        self.assertTrue(unreachable.reason)
        easy = run.should_stop(target=10.0)
        self.assertEqual(easy.verdict, "continue")
        self.assertFalse(easy.stop)
        f = run.forecast()
        self.assertIsNotNone(f)
        self.assertEqual(f.observed_until, 3000)
        self.assertEqual(f.horizon, 10_000)
        self.assertLess(f.final.lo80, f.final.mean)
        self.assertLess(f.final.mean, f.final.hi80)
        self.assertTrue(2.5 < f.final.mean < loss_at(3000), f.final)
        run.finish()
        self.assertEqual(self.server.run("verdicts", "v")["status"], "finished")

    def test_vs_another_run_by_name_and_errors_are_undecided(self):
        other = self.init("rival", group="h")
        for step in range(0, 3001, 10):
            other.log({"loss": loss_at(step, floor=1.5)}, step=step)
        other.finish()
        run = self.init("challenger", group="h")
        for step in range(0, 3001, 10):
            run.log({"loss": loss_at(step, floor=3.0)}, step=step)
        v = run.should_stop(vs="rival")
        self.assertEqual(v.verdict, "stop", v.reason)
        self.assertEqual(run.should_stop(vs="best").verdict, "stop")
        missing = run.should_stop(vs="no-such-run")
        self.assertEqual(missing.verdict, "undecided")
        self.assertFalse(missing.stop)
        self.assertIn("no-such-run", missing.reason)
        young = self.init("young")
        young.log({"loss": 3.0}, step=0)
        early = young.should_stop(target=1.0)  # one point: the server cannot forecast yet
        self.assertEqual(early.verdict, "undecided")
        self.assertFalse(early.stop)
        with self.assertWarns(runcast.RuncastWarning):
            self.assertIsNone(young.forecast())
        for r in (run, young):
            r.finish()

    def test_a_loop_told_an_unreachable_target_stops_itself_and_records_the_verdict(self):
        run = self.init("early")
        check = run.stop_check(target=1.0, every_steps=200, every_seconds=None)
        stopped_at = None
        for step in range(0, 10_000, 10):
            run.log({"loss": loss_at(step)}, step=step)
            if check(step):
                stopped_at = step
                break
            if step % 200 == 0:
                check.wait()  # a real loop never waits; the test makes the timing deterministic
        self.assertIsNotNone(stopped_at)
        self.assertLess(stopped_at, 10_000)
        self.assertTrue(check.stopped)
        run.finish()
        stored = self.server.run("early", "v")
        self.assertEqual(stored["status"], "stopped")
        self.assertEqual(stored["stopVerdict"]["verdict"], "stop")
        self.assertEqual(stored["stopVerdict"]["target"], 1.0)
        self.assertLessEqual(stored["stopVerdict"]["step"], stopped_at)
        import json

        shown = json.loads(self.server.cli("show", "push:v/early", "--json"))
        self.assertEqual(shown["stopVerdict"], stored["stopVerdict"])


if __name__ == "__main__":
    unittest.main()
