"""Lightning callback: ``Trainer(callbacks=[RuncastCallback(target=2.9)])``.

Subclasses ``lightning.pytorch.Callback`` (or ``pytorch_lightning.Callback``) when one imports,
and otherwise answers the documented hooks duck-typed. Logs on global rank zero only: the
training-step loss and ``trainer.callback_metrics`` at ``trainer.global_step``, declares the
first scheduler's plan over ``trainer.max_steps`` (or ``estimated_stepping_batches``), sets
``trainer.should_stop`` when a (rate-limited, background) verdict says stop, and marks the run
crashed on an exception.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

import runcast

_Base: Any = object
for _module in ("lightning.pytorch", "pytorch_lightning"):  # pragma: no cover - environment
    try:
        _Base = __import__(_module, fromlist=["Callback"]).Callback
        break
    except Exception:
        continue


def _number(value: Any) -> Optional[float]:
    item = getattr(value, "item", None)
    try:
        return float(item() if callable(item) else value)
    except Exception:
        return None


class RuncastCallback(_Base):  # type: ignore[misc,valid-type]
    """Same arguments as the HF callback: ``target``/``vs``, check rates, ``runcast.init`` kwargs."""

    def __init__(
        self,
        target: Optional[float] = None,
        vs: Optional[str] = None,
        check_every_steps: Optional[int] = None,
        check_every_seconds: float = 30.0,
        log_every_n_steps: int = 1,
        run: Optional[runcast.Run] = None,
        **init_kwargs: Any,
    ):
        self.target = target
        self.vs = vs
        self.check_every_steps = check_every_steps
        self.check_every_seconds = check_every_seconds
        self.log_every_n_steps = max(1, log_every_n_steps)
        self.init_kwargs = init_kwargs
        self.run = run
        self.check: Optional[runcast.StopCheck] = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("on_") or name in ("setup", "teardown"):
            return _noop
        raise AttributeError(name)

    @staticmethod
    def _zero(trainer: Any) -> bool:
        return bool(getattr(trainer, "is_global_zero", True))

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        if not self._zero(trainer):
            return
        if self.run is None:
            kwargs = dict(self.init_kwargs)
            hparams = getattr(pl_module, "hparams", None)
            if "config" not in kwargs and hparams:
                kwargs["config"] = {str(k): v for k, v in dict(hparams).items()}
            self.run = runcast.init(**kwargs)
        optimizers = getattr(trainer, "optimizers", None) or []
        configs = getattr(trainer, "lr_scheduler_configs", None) or []
        total = getattr(trainer, "max_steps", -1)
        if not total or total < 0:
            total = getattr(trainer, "estimated_stepping_batches", None)
        if optimizers and total and total > 0 and total != float("inf") and self.run.schedule is None:
            scheduler = getattr(configs[0], "scheduler", None) if configs else None
            self.run.define_schedule(runcast.schedule_from_torch(optimizers[0], scheduler, int(total)))
        if self.target is not None or self.vs is not None:
            self.check = self.run.stop_check(
                target=self.target,
                vs=self.vs,
                every_steps=self.check_every_steps,
                every_seconds=self.check_every_seconds,
            )

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        if self.run is None or not self._zero(trainer):
            return
        step = int(trainer.global_step)
        if step % self.log_every_n_steps == 0:
            metrics: Dict[str, Any] = {}
            for key, value in dict(getattr(trainer, "callback_metrics", {}) or {}).items():
                x = _number(value)
                if x is not None:
                    metrics[str(key)] = x
            loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
            x = _number(loss) if loss is not None else None
            if x is not None and "loss" not in metrics:
                metrics["loss"] = x
            if metrics:
                self.run.log(metrics, step=step)
        if self.check is not None and self.check(step):
            trainer.should_stop = True

    def on_validation_end(self, trainer: Any, pl_module: Any) -> None:
        if self.run is None or not self._zero(trainer):
            return
        metrics = {}
        for key, value in dict(getattr(trainer, "callback_metrics", {}) or {}).items():
            if str(key).startswith("val"):
                x = _number(value)
                if x is not None:
                    metrics[str(key)] = x
        if metrics:
            self.run.log(metrics, step=int(trainer.global_step))

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        if self.run is not None and self._zero(trainer):
            self.run.finish()

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        if self.run is not None and self._zero(trainer):
            self.run.finish(status="crashed")


def _noop(*_args: Any, **_kwargs: Any) -> None:
    return None
