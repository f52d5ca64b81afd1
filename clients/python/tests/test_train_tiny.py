"""A real training end to end: examples/train_tiny.py with PyTorch against a real server.

Needs torch (Debian: python3-torch for /usr/bin/python3). Without it the test is skipped with one
line, unless CI=true, where it fails.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from server import ROOT, LocalServer  # noqa: E402

EXAMPLE = os.path.join(ROOT, "examples", "train_tiny.py")
STEPS = 400
LOG_EVERY = 5


def torch_python():
    """An interpreter that imports torch: $RUNCAST_TORCH_PYTHON, this one, or Debian's."""
    candidates = [os.environ.get("RUNCAST_TORCH_PYTHON"), sys.executable, "/usr/bin/python3"]
    for exe in candidates:
        if exe and os.path.exists(exe):
            ok = subprocess.run([exe, "-c", "import torch"], capture_output=True).returncode == 0
            if ok:
                return exe
    return None


PYTHON = torch_python()
CI = os.environ.get("CI") == "true"


class TrainTinyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if PYTHON is None:
            if CI:
                raise AssertionError("CI=true but no Python with torch (apt-get install python3-torch)")
            raise unittest.SkipTest("torch missing: apt-get install python3-torch to run the training test")
        cls.server = LocalServer().start()

    @classmethod
    def tearDownClass(cls):
        if PYTHON is not None:
            cls.server.close()

    def test_three_schedules_train_are_forecast_and_the_unreachable_target_stops_early(self):
        started = time.monotonic()
        res = subprocess.run(
            [PYTHON, EXAMPLE, "--server", self.server.url, "--token", self.server.token,
             "--steps", str(STEPS), "--log-every", str(LOG_EVERY), "--target", "0.5", "--check-every", "50"],
            capture_output=True, text=True, timeout=900,
            env={**os.environ, "RUNCAST_SPOOL_DIR": self.server.spool_dir, "PYTHONWARNINGS": "default"},
        )
        seconds = time.monotonic() - started
        self.assertEqual(res.returncode, 0, res.stderr[-3000:])
        reports = {r["kind"]: r for r in map(json.loads, res.stdout.strip().splitlines())}
        each = ", ".join(f"{k} {r['seconds']} s" for k, r in reports.items())
        print(f"\n  train_tiny: 3 runs in {seconds:.1f} s wall ({each})", file=sys.stderr)
        self.assertEqual(set(reports), {"cosine", "wsd", "constant"})
        self.assertNotIn("RuncastWarning", res.stderr)

        runs = {r["name"]: r for r in self.server.runs() if r["project"] == "tiny"}
        self.assertEqual(set(runs), {"tiny-cosine", "tiny-wsd", "tiny-constant"})
        for name, run in runs.items():
            with self.subTest(name):
                self.assertEqual(run["group"], "char-mlp-difflib")
                self.assertEqual(run["schedule"]["kind"], "segments")
                self.assertEqual(run["schedule"]["total"], STEPS)
                self.assertEqual(run["statusSource"], "push")
                counts = {s["key"]: s["points"] for s in run["series"]}
                done = reports[name[len("tiny-"):]]["steps"]
                self.assertEqual(counts["loss"], done // LOG_EVERY)
                self.assertEqual(counts["lr"], counts["loss"])
                loss = self.server.points(run["id"], "loss")
                self.assertLess(loss[-1][1], loss[0][1] - 0.5)  # it learned something
                forecast = self.server.query("forecasts.get", {"runId": run["id"]})
                self.assertEqual(forecast["horizon"], STEPS)
                self.assertTrue(math.isfinite(forecast["final"]["mean"]))
                self.assertLessEqual(forecast["final"]["lo80"], forecast["final"]["hi80"])

        # The schedule the client read from torch is the plan each run followed.
        wsd = runs["tiny-wsd"]
        shapes = [s["shape"] for s in wsd["schedule"]["segments"]]
        self.assertEqual(shapes, ["linear", "constant", "linear", "constant"][: len(shapes)])
        for name in ("tiny-cosine", "tiny-wsd"):
            self.assertEqual(runs[name]["status"], "finished")
            self.assertFalse(reports[name[len("tiny-"):]]["stopped"])

        constant = runs["tiny-constant"]
        report = reports["constant"]
        self.assertTrue(report["stopped"], report)
        self.assertLess(report["steps"], STEPS)
        self.assertEqual(constant["status"], "stopped")
        self.assertEqual(constant["stopVerdict"]["verdict"], "stop")
        self.assertEqual(constant["stopVerdict"]["target"], 0.5)
        self.assertLess(constant["stopVerdict"]["probability"], 0.05)


if __name__ == "__main__":
    unittest.main()
