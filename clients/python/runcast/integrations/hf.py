"""Hugging Face Trainer callback: ``Trainer(..., callbacks=[RuncastCallback(target=2.9)])``.

Works with or without ``transformers`` installed: it subclasses ``transformers.TrainerCallback``
when that imports, and otherwise answers every ``on_*`` event of that documented interface.
Logs what the Trainer logs (``on_log``) at ``state.global_step`` from the main process only,
declares the scheduler's plan over ``state.max_steps``, and sets
``control.should_training_stop`` when a (rate-limited, background) verdict says stop.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import runcast

try:  # pragma: no cover - depends on the environment
    from transformers import TrainerCallback as _Base  # type: ignore
except Exception:  # transformers missing or broken: the documented interface, duck-typed
    _Base = object  # type: ignore[assignment,misc]

_SKIP_KEYS = {"epoch", "total_flos", "step"}


class RuncastCallback(_Base):  # type: ignore[misc,valid-type]
    """
    ``target``/``vs``: stop early when Runcast is sure the run will not reach the target / beat
    the best run (checked every ``check_every_steps`` steps or ``check_every_seconds`` seconds;
    an undecided verdict never stops). ``init_kwargs`` go to ``runcast.init`` (project, name,
    group, config, server, token, ...); name and config default to the TrainingArguments'.
    """

    def __init__(
        self,
        target: Optional[float] = None,
        vs: Optional[str] = None,
        check_every_steps: Optional[int] = None,
        check_every_seconds: float = 30.0,
        run: Optional[runcast.Run] = None,
        **init_kwargs: Any,
    ):
        self.target = target
        self.vs = vs
        self.check_every_steps = check_every_steps
        self.check_every_seconds = check_every_seconds
        self.init_kwargs = init_kwargs
        self.run = run
        self.check: Optional[runcast.StopCheck] = None
        self._main = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("on_"):
            return _noop
        raise AttributeError(name)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self._main = bool(getattr(state, "is_world_process_zero", True))
        if not self._main:
            return
        if self.run is None:
            kwargs_init = dict(self.init_kwargs)
            kwargs_init.setdefault("name", getattr(args, "run_name", None) or None)
            if "config" not in kwargs_init and hasattr(args, "to_dict"):
                kwargs_init["config"] = _plain(args.to_dict())
            self.run = runcast.init(**kwargs_init)
        optimizer = kwargs.get("optimizer")
        total = getattr(state, "max_steps", None) or getattr(args, "max_steps", None)
        if optimizer is not None and total and total > 0 and self.run.schedule is None:
            self.run.define_schedule(runcast.schedule_from_torch(optimizer, kwargs.get("lr_scheduler"), int(total)))
        if self.target is not None or self.vs is not None:
            self.check = self.run.stop_check(
                target=self.target,
                vs=self.vs,
                every_steps=self.check_every_steps,
                every_seconds=self.check_every_seconds,
            )

    def on_log(self, args: Any, state: Any, control: Any, logs: Optional[Dict[str, Any]] = None, **kwargs: Any) -> None:
        if not self._main or self.run is None or not logs:
            return
        metrics = {k: v for k, v in logs.items() if k not in _SKIP_KEYS}
        if self.run._lr_source is not None:
            metrics.pop("learning_rate", None)  # HF logs the next step's LR; log the one used
        if metrics:
            self.run.log(metrics, step=int(state.global_step))

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.check is not None and self.check(int(state.global_step)):
            control.should_training_stop = True

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._main and self.run is not None:
            self.run.finish()


def _noop(*_args: Any, **_kwargs: Any) -> None:
    return None


def _plain(values: Dict[str, Any]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for k, v in values.items():
        if v is None or isinstance(v, (bool, int, float, str)):
            out[k] = v
        elif isinstance(v, (list, tuple)) and all(isinstance(x, (bool, int, float, str)) for x in v):
            out[k] = list(v)
        else:
            out[k] = str(v)
    return out


__all__: List[str] = ["RuncastCallback"]
