"""schedule_from_torch: the plan of common schedulers as a spec, and the LR each step used."""

from __future__ import annotations

import math
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import runcast  # noqa: E402

try:
    import torch  # noqa: F401

    HAVE_TORCH = True
except ImportError:
    HAVE_TORCH = False


def spec_lr(spec, t):
    """The LR of 0-based step t under a segments/table spec (semantics of data/README.md)."""
    if spec["kind"] == "table":
        rows = spec["values"]
        for (s0, v0), (s1, v1) in zip(rows, rows[1:]):
            if s0 <= t <= s1:
                return v0 + (v1 - v0) * (t - s0) / (s1 - s0)
        return rows[-1][1]
    last = None
    for seg in spec["segments"]:
        to = seg.get("to", seg["from"])
        if seg["start"] <= t < seg["end"]:
            u = (t - seg["start"]) / (seg["end"] - seg["start"])
            if seg["shape"] == "constant":
                return seg["from"]
            if seg["shape"] == "linear":
                return seg["from"] + (to - seg["from"]) * u
            return to + (seg["from"] - to) * (1 + math.cos(math.pi * u)) / 2
        last = to
    return last


class StandInOptimizer:
    """The documented surface of torch.optim.Optimizer that schedulers and the client touch."""

    def __init__(self, lr):
        self.param_groups = [{"params": [], "lr": lr, "initial_lr": lr}]
        self.steps = 0

    def step(self):
        self.steps += 1


class LambdaLR:
    """torch.optim.lr_scheduler.LambdaLR as documented: lr = base_lr * lr_lambda(last_epoch)."""

    def __init__(self, optimizer, lr_lambda):
        self.optimizer = optimizer
        self.lr_lambdas = [lr_lambda]
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = 0
        self._apply()

    def _apply(self):
        for g, base in zip(self.optimizer.param_groups, self.base_lrs):
            g["lr"] = base * self.lr_lambdas[0](self.last_epoch)

    def step(self):
        self.last_epoch += 1
        self._apply()


class HalvingLR:
    """A chainable scheduler (like StepLR): multiplies the current LR, so only stepping tells."""

    def __init__(self, optimizer, every):
        self.optimizer = optimizer
        self.every = every
        self.last_epoch = 0

    def step(self):
        self.last_epoch += 1
        if self.last_epoch % self.every == 0:
            for g in self.optimizer.param_groups:
                g["lr"] *= 0.5


def wsd_lambda(warmup, total, decay):
    start = total - decay

    def fn(t):
        if t < warmup:
            return t / warmup
        if t < start:
            return 1.0
        return max(0.0, (total - t) / decay)

    return fn


def hf_cosine_lambda(warmup, total):
    """transformers' get_cosine_schedule_with_warmup lambda (num_cycles=0.5)."""

    def fn(t):
        if t < warmup:
            return t / max(1, warmup)
        progress = (t - warmup) / max(1, total - warmup)
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))

    return fn


def actual_lrs(optimizer, scheduler, total):
    out = []
    for _ in range(total):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return out


class ScheduleTest(unittest.TestCase):
    def assertPlanMatches(self, spec, lrs, rel=2e-3):
        peak = max(lrs)
        worst = max(abs(spec_lr(spec, t) - lr) for t, lr in enumerate(lrs))
        self.assertLessEqual(worst, rel * peak, f"worst error {worst} vs peak {peak}")

    def test_wsd_lambda_compresses_to_three_linear_and_constant_segments(self):
        opt = StandInOptimizer(3e-4)
        sched = LambdaLR(opt, wsd_lambda(200, 10_000, 2000))
        spec = runcast.schedule_from_torch(opt, sched, 10_000).spec
        self.assertEqual(spec["kind"], "segments")
        self.assertEqual([s["shape"] for s in spec["segments"]], ["linear", "constant", "linear"])
        self.assertEqual(spec["total"], 10_000)
        self.assertPlanMatches(spec, actual_lrs(opt, sched, 10_000))

    def test_hf_cosine_with_warmup_is_warmup_then_one_cosine(self):
        opt = StandInOptimizer(1e-3)
        sched = LambdaLR(opt, hf_cosine_lambda(100, 3000))
        spec = runcast.schedule_from_torch(opt, sched, 3000).spec
        self.assertEqual([s["shape"] for s in spec["segments"]], ["linear", "cosine"])
        self.assertPlanMatches(spec, actual_lrs(opt, sched, 3000))

    def test_a_chainable_scheduler_is_read_by_stepping_a_copy_not_the_real_one(self):
        opt = StandInOptimizer(1e-3)
        sched = HalvingLR(opt, 250)
        spec = runcast.schedule_from_torch(opt, sched, 1000).spec
        self.assertEqual(sched.last_epoch, 0)
        self.assertEqual(opt.param_groups[0]["lr"], 1e-3)
        self.assertPlanMatches(spec, actual_lrs(opt, sched, 1000), rel=0.51)  # jumps blur over 1 step
        self.assertEqual([s["shape"] for s in spec["segments"] if s["shape"] == "constant"], ["constant"] * 4)

    def test_no_scheduler_is_constant_and_the_used_lr_is_logged(self):
        opt = StandInOptimizer(5e-4)
        plan = runcast.schedule_from_torch(opt, None, 100)
        self.assertEqual(plan.spec["segments"], [{"start": 0, "end": 100, "shape": "constant", "from": 5e-4}])
        opt.step()
        self.assertEqual(opt.steps, 1)
        self.assertEqual(plan.current_lr(), 5e-4)

    def test_the_lr_logged_is_the_one_the_last_step_used(self):
        opt = StandInOptimizer(1e-3)
        sched = LambdaLR(opt, lambda t: 1.0 / (1 + t))
        plan = runcast.schedule_from_torch(opt, sched, 10)
        run = runcast.init(project="p", name="lr", schedule=plan, mode="disabled")
        opt.step()  # used lr(0) = 1e-3
        sched.step()  # now lr(1) = 5e-4, the next step's
        run.log({"loss": 1.0}, step=1)
        self.assertEqual(run._queue[-1][1]["lr"], 1e-3)
        run.finish()

    @unittest.skipUnless(HAVE_TORCH, "torch not installed (the end-to-end training test covers CI)")
    def test_real_torch_schedulers(self):
        import torch

        def make():
            model = torch.nn.Linear(2, 1)
            return torch.optim.AdamW(model.parameters(), lr=1e-3)

        cases = {
            "cosine": lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=2000, eta_min=1e-5),
            "warmup+cosine": lambda o: torch.optim.lr_scheduler.SequentialLR(
                o,
                [
                    torch.optim.lr_scheduler.LinearLR(o, start_factor=0.01, total_iters=100),
                    torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=1900),
                ],
                milestones=[100],
            ),
            "wsd": lambda o: torch.optim.lr_scheduler.LambdaLR(o, wsd_lambda(100, 2000, 400)),
            "constant": lambda o: torch.optim.lr_scheduler.ConstantLR(o, factor=1.0, total_iters=0),
        }
        for name, build in cases.items():
            with self.subTest(name):
                opt = make()
                sched = build(opt)
                spec = runcast.schedule_from_torch(opt, sched, 2000).spec
                self.assertLessEqual(len(spec["segments"]), 4, spec)
                self.assertPlanMatches(spec, actual_lrs(opt, sched, 2000), rel=0.011)


if __name__ == "__main__":
    unittest.main()
