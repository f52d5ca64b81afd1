"""HF Trainer and Lightning callbacks against faithful stand-ins of their documented interfaces,
and ``import runcast as wandb``."""

from __future__ import annotations

import math
import os
import sys
import time
import types
import unittest
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import runcast  # noqa: E402
from runcast.integrations import hf, lightning  # noqa: E402

from server import LocalServer  # noqa: E402
from test_schedule import LambdaLR, StandInOptimizer, wsd_lambda  # noqa: E402

MAX_STEPS = 20_000


def loss_at(step: int) -> float:
    return 2.5 + 4 / math.sqrt(1 + step / 50)


class Scalar:
    """A 0-d tensor as far as loggers care: .item()."""

    def __init__(self, x: float):
        self.x = x

    def item(self) -> float:
        return self.x


# --- transformers' documented callback interface (TrainingArguments, TrainerState, TrainerControl) ---


class TrainingArguments:
    def __init__(self, **kw):
        self.output_dir = kw.get("output_dir", "out")
        self.run_name = kw.get("run_name")
        self.max_steps = kw.get("max_steps", -1)
        self.logging_steps = kw.get("logging_steps", 10)
        self.learning_rate = kw.get("learning_rate", 1e-3)
        self.lr_scheduler_type = kw.get("lr_scheduler_type", "linear")

    def to_dict(self):
        return dict(vars(self))


class TrainerState:
    def __init__(self, max_steps, is_world_process_zero=True):
        self.global_step = 0
        self.max_steps = max_steps
        self.epoch = 0.0
        self.log_history = []
        self.is_world_process_zero = is_world_process_zero


class TrainerControl:
    def __init__(self):
        self.should_training_stop = False
        self.should_log = False
        self.should_evaluate = False
        self.should_save = False


def hf_train(callback, args, state, step_seconds=0.0005):
    """The event order of transformers' Trainer._inner_training_loop (CallbackHandler.call_event)."""
    control = TrainerControl()
    optimizer = StandInOptimizer(args.learning_rate)
    scheduler = LambdaLR(optimizer, wsd_lambda(100, args.max_steps, args.max_steps // 5))
    common = dict(model=object(), processing_class=None, optimizer=optimizer, lr_scheduler=scheduler,
                  train_dataloader=[], eval_dataloader=None)

    def event(name, **kw):
        result = getattr(callback, name)(args, state, control, **common, **kw)
        return result if result is not None else control

    control = event("on_init_end")
    control = event("on_train_begin")
    while state.global_step < state.max_steps:
        control = event("on_step_begin")
        control = event("on_pre_optimizer_step")
        optimizer.step()
        control = event("on_optimizer_step")
        scheduler.step()
        state.global_step += 1
        state.epoch = state.global_step / 1000
        control = event("on_step_end")
        if state.global_step % args.logging_steps == 0:
            logs = {"loss": loss_at(state.global_step), "grad_norm": 1.0,
                    "learning_rate": scheduler.base_lrs[0] * scheduler.lr_lambdas[0](scheduler.last_epoch),
                    "epoch": state.epoch}
            state.log_history.append({**logs, "step": state.global_step})
            control = event("on_log", logs=logs)
        if control.should_training_stop:
            break
        time.sleep(step_seconds)
    control = event("on_train_end")
    return control


# --- Lightning's documented Callback hooks and the Trainer attributes they read ---------------------


class LightningTrainer:
    def __init__(self, callbacks, max_steps, is_global_zero=True):
        self.callbacks = callbacks
        self.max_steps = max_steps
        self.global_step = 0
        self.is_global_zero = is_global_zero
        self.should_stop = False
        self.callback_metrics = {}
        self.optimizers = [StandInOptimizer(1e-3)]
        self.lr_scheduler_configs = [types.SimpleNamespace(
            scheduler=LambdaLR(self.optimizers[0], wsd_lambda(100, max_steps, max_steps // 5)),
            interval="step", frequency=1)]
        self.estimated_stepping_batches = max_steps

    def fit(self, module, fail_at=None):
        for cb in self.callbacks:
            cb.setup(self, module, stage="fit")
            cb.on_fit_start(self, module)
            cb.on_train_start(self, module)
        try:
            while self.global_step < self.max_steps and not self.should_stop:
                batch_idx = self.global_step
                if fail_at is not None and batch_idx == fail_at:
                    raise RuntimeError("CUDA out of memory (simulated)")
                loss = Scalar(loss_at(self.global_step + 1))
                self.callback_metrics = {"train_loss": loss}
                self.optimizers[0].step()
                self.lr_scheduler_configs[0].scheduler.step()
                self.global_step += 1
                for cb in self.callbacks:
                    cb.on_train_batch_end(self, module, {"loss": loss}, None, batch_idx)
                time.sleep(0.0005)
            for cb in self.callbacks:
                cb.on_train_end(self, module)
        except BaseException as e:
            for cb in self.callbacks:
                cb.on_exception(self, module, e)
            raise


class IntegrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def kwargs(self, name):
        return dict(project="int", name=name, server=self.server.url, token=self.server.token,
                    spool_dir=self.server.spool_dir)

    def test_hf_callback_logs_declares_the_plan_and_stops_training(self):
        callback = hf.RuncastCallback(target=1.0, check_every_steps=500, check_every_seconds=None, **self.kwargs("hf"))
        args = TrainingArguments(run_name="ignored-when-name-given", max_steps=MAX_STEPS, logging_steps=10)
        state = TrainerState(MAX_STEPS)
        hf_train(callback, args, state)
        self.assertLess(state.global_step, MAX_STEPS)  # stopped early by the verdict
        stored = self.server.run("hf", "int")
        self.assertEqual(stored["status"], "stopped")
        self.assertEqual(stored["stopVerdict"]["verdict"], "stop")
        self.assertEqual(stored["schedule"]["kind"], "segments")
        self.assertEqual(stored["schedule"]["total"], MAX_STEPS)
        self.assertEqual(stored["config"]["max_steps"], MAX_STEPS)
        counts = {s["key"]: s["points"] for s in stored["series"]}
        self.assertEqual(counts["loss"], state.global_step // 10)
        self.assertEqual(counts["lr"], counts["loss"])  # the LR each step used, not HF's next one
        self.assertNotIn("learning_rate", counts)
        self.assertNotIn("epoch", counts)

    def test_hf_callback_on_another_rank_sends_nothing(self):
        callback = hf.RuncastCallback(**self.kwargs("hf-rank1"))
        hf_train(callback, TrainingArguments(max_steps=50), TrainerState(50, is_world_process_zero=False), 0)
        self.assertIsNone(callback.run)
        self.assertNotIn("hf-rank1", [r["name"] for r in self.server.runs()])

    def test_lightning_callback_logs_and_sets_should_stop(self):
        callback = lightning.RuncastCallback(target=1.0, check_every_steps=500, check_every_seconds=None,
                                             log_every_n_steps=10, **self.kwargs("pl"))
        trainer = LightningTrainer([callback], MAX_STEPS)
        trainer.fit(types.SimpleNamespace(hparams={"lr": 1e-3, "layers": 2}))
        self.assertTrue(trainer.should_stop)
        self.assertLess(trainer.global_step, MAX_STEPS)
        stored = self.server.run("pl", "int")
        self.assertEqual(stored["status"], "stopped")
        self.assertEqual(stored["config"], {"lr": 1e-3, "layers": 2})
        self.assertEqual(stored["schedule"]["total"], MAX_STEPS)
        counts = {s["key"]: s["points"] for s in stored["series"]}
        self.assertEqual(counts["train_loss"], trainer.global_step // 10)

    def test_lightning_exception_marks_the_run_crashed_and_rank_nonzero_is_silent(self):
        callback = lightning.RuncastCallback(**self.kwargs("pl-crash"))
        with self.assertRaises(RuntimeError):
            LightningTrainer([callback], 100).fit(types.SimpleNamespace(hparams={}), fail_at=30)
        self.assertEqual(self.server.run("pl-crash", "int")["status"], "crashed")
        silent = lightning.RuncastCallback(**self.kwargs("pl-rank1"))
        LightningTrainer([silent], 20, is_global_zero=False).fit(types.SimpleNamespace(hparams={}))
        self.assertIsNone(silent.run)


class WandbCompatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_a_wandb_script_moves_by_changing_one_import(self):
        import runcast as wandb

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run = wandb.init(project="wb", name="compat", group="g", config={"lr": 3e-4},
                             entity="my-team", server=self.server.url, token=self.server.token,
                             spool_dir=self.server.spool_dir)
            self.assertIs(wandb.run, run)
            wandb.config.update({"batch_size": 32})
            wandb.config.layers = 4
            wandb.watch(object(), log="all")
            wandb.watch(object())
            wandb.define_metric("loss", summary="min")
            for i in range(5):
                wandb.log({"loss": 3.0 - i * 0.1, "image": wandb.Image("x.png")})
            wandb.log({"loss": 2.0}, step=10)
            wandb.summary["best_loss"] = 2.0
            wandb.run.summary["epochs"] = 1
            wandb.alert(title="loss spike", text="loss went up at step 3")
            wandb.finish()
        self.assertIsNone(wandb.run)
        messages = [str(w.message) for w in caught]
        self.assertEqual(sum("runcast.watch()" in m for m in messages), 1, messages)
        self.assertTrue(any("init(entity=...)" in m for m in messages))
        stored = self.server.run("compat", "wb")
        self.assertEqual(stored["config"], {"lr": 3e-4, "batch_size": 32, "layers": 4})
        self.assertEqual(stored["summary"]["best_loss"], 2.0)
        self.assertEqual(stored["summary"]["epochs"], 1)
        self.assertEqual(stored["summary"]["alerts"][0]["title"], "loss spike")
        self.assertEqual(stored["status"], "finished")
        loss = self.server.points(stored["id"], "loss")
        self.assertEqual([s for s, _ in loss], [0, 1, 2, 3, 4, 10])


if __name__ == "__main__":
    unittest.main()
