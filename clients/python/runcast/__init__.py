"""Runcast from a training script: log points, get forecasts and stop verdicts.

    import runcast
    run = runcast.init(project="llm", name="wsd-3e-4", group="160m", schedule={...})
    run.log({"loss": 2.91, "lr": 3e-4}, step=1200)   # non-blocking
    run.finish()

``import runcast as wandb`` works for the common W&B calls (init, log, config, summary, finish,
alert); other W&B calls warn once and do nothing.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import warnings
from typing import Any, Dict, List, Optional

from .run import Run, RuncastWarning
from .spool import default_spool_dir
from .torch_schedule import TorchSchedule, schedule_from_torch
from .transport import HttpTransport, TransportError
from .verdicts import Band, Forecast, StopCheck, Verdict

__all__ = [
    "Band",
    "Forecast",
    "HttpTransport",
    "Run",
    "RuncastWarning",
    "StopCheck",
    "TorchSchedule",
    "TransportError",
    "Verdict",
    "alert",
    "config",
    "finish",
    "init",
    "log",
    "run",
    "schedule_from_torch",
    "summary",
]

__version__ = "0.1.0"

DEFAULT_SERVER = "http://127.0.0.1:4600"

#: The run of the last ``init`` (W&B's ``wandb.run``), None before it and after ``finish``.
run: Optional[Run] = None
_active: List[Run] = []
_hooks_installed = False
_lock = threading.Lock()
_W_B_ONLY = {"entity", "job_type", "reinit", "resume", "id", "dir", "settings", "save_code", "anonymous", "magic", "allow_val_change", "sync_tensorboard", "monitor_gym", "config_exclude_keys", "config_include_keys", "fork_from", "resume_from"}


def _finish_all_at_exit() -> None:
    for r in list(_active):
        try:
            r.finish(timeout=r.exit_timeout)
        except Exception:
            pass


def _install_hooks() -> None:
    """At exit, unfinished runs flush (time-limited); an uncaught exception marks them crashed."""
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(_finish_all_at_exit)
    previous = sys.excepthook

    def excepthook(kind, value, tb):  # type: ignore[no-untyped-def]
        for r in _active:
            r.crashed = True
        previous(kind, value, tb)

    sys.excepthook = excepthook


def _forget(r: Run) -> None:
    global run
    with _lock:
        if r in _active:
            _active.remove(r)
        if run is r:
            run = _active[-1] if _active else None


def init(
    project: Optional[str] = None,
    name: Optional[str] = None,
    group: Optional[str] = None,
    schedule: Any = None,
    config: Optional[Dict[str, Any]] = None,
    server: Optional[str] = None,
    token: Optional[str] = None,
    tags: Optional[List[str]] = None,
    *,
    transport: Any = None,
    spool_dir: Optional[str] = None,
    batch_size: int = 10_000,
    flush_interval: float = 1.0,
    exit_timeout: float = 10.0,
    mode: Optional[str] = None,
    notes: Optional[str] = None,
    **wandb_kwargs: Any,
) -> Run:
    """
    Starts (or resumes, by name) a run on a Runcast server and returns it.

    ``server`` defaults to ``$RUNCAST_SERVER`` (else http://127.0.0.1:4600), ``token`` to
    ``$RUNCAST_TOKEN`` (a write token: ``runcast token create --scope write``). ``schedule`` is a
    spec dict or ``schedule_from_torch(...)``. Pushing under an existing run's name updates that
    run. ``mode="disabled"`` (or ``$RUNCAST_MODE=disabled``) gives a run that sends nothing.
    ``transport`` replaces HTTP (tests). Batches hold at most ``batch_size`` points and leave at
    least every ``flush_interval`` seconds; unsent batches wait in a spool file under
    ``spool_dir`` (default ``$RUNCAST_SPOOL_DIR`` or ~/.cache/runcast/spool).
    """
    global run
    for key in wandb_kwargs:
        if key not in _W_B_ONLY:
            raise TypeError(f"runcast.init() got an unexpected keyword argument {key!r}")
        _unsupported(f"init({key}=...)")
    project = project or os.environ.get("RUNCAST_PROJECT") or os.environ.get("WANDB_PROJECT") or "default"
    name = name or os.environ.get("RUNCAST_RUN") or _default_name()
    mode = mode or os.environ.get("RUNCAST_MODE")
    server = server or os.environ.get("RUNCAST_SERVER") or DEFAULT_SERVER
    token = token if token is not None else os.environ.get("RUNCAST_TOKEN")
    if mode in ("disabled", "offline", "dryrun"):
        transport = None
    elif transport is None:
        transport = HttpTransport(server, token)
    r = Run(
        project=project,
        name=name,
        group=group,
        schedule=schedule,
        config=config,
        tags=tags,
        transport=transport,
        server=server,
        token=token,
        spool_dir=spool_dir,
        batch_size=batch_size,
        flush_interval=flush_interval,
        exit_timeout=exit_timeout,
    )
    if notes:
        r.summary["notes"] = notes
    with _lock:
        _active.append(r)
        run = r
    _install_hooks()
    return r


def _default_name() -> str:
    import time

    return f"run-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"


def _current() -> Optional[Run]:
    if run is None:
        _unsupported("a call before runcast.init()")
    return run


def log(data: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None, **_: Any) -> None:
    """W&B's ``wandb.log``: logs to the run of the last ``init``."""
    r = _current()
    if r is not None:
        r.log(data, step=step, commit=commit)


def finish(exit_code: Optional[int] = None, quiet: Optional[bool] = None, status: Optional[str] = None) -> None:
    """W&B's ``wandb.finish``: a non-zero ``exit_code`` marks the run crashed."""
    r = run
    if r is not None:
        r.finish(status=status or ("crashed" if exit_code else None))


def alert(title: str, text: str = "", level: Optional[str] = None, **kwargs: Any) -> None:
    """W&B's ``wandb.alert``: a warning here, recorded in the run's summary."""
    r = _current()
    if r is not None:
        r.alert(title, text, level, **kwargs)


class _RunAttr:
    """``runcast.config`` / ``runcast.summary``: the current run's dict (like ``wandb.config``)."""

    def __init__(self, attr: str):
        object.__setattr__(self, "_attr", attr)

    def _target(self) -> Dict[str, Any]:
        r = run
        return getattr(r, self._attr) if r is not None else {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._target()[name] = value

    def __getitem__(self, key: str) -> Any:
        return self._target()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._target()[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._target()

    def __iter__(self):
        return iter(self._target())

    def __len__(self) -> int:
        return len(self._target())

    def __repr__(self) -> str:
        return repr(self._target())


config = _RunAttr("config")
summary = _RunAttr("summary")

_warned: set = set()


def _unsupported(what: str) -> None:
    if what in _warned:
        return
    _warned.add(what)
    warnings.warn(f"runcast: {what} is not supported (W&B compatibility); ignored", RuncastWarning, stacklevel=3)


class _NoOp:
    """What an unsupported W&B call returns: callable, any attribute, never raises."""

    def __init__(self, name: str):
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> "_NoOp":
        _unsupported(f"runcast.{self._name}()")
        return self

    def __getattr__(self, name: str) -> "_NoOp":
        if name.startswith("__"):
            raise AttributeError(name)
        return _NoOp(f"{self._name}.{name}")

    def __bool__(self) -> bool:
        return False


def __getattr__(name: str) -> Any:
    """Unsupported W&B calls (watch, save, Image, Table, define_metric, login, ...) warn once."""
    if name.startswith("__"):
        raise AttributeError(name)
    if name == "integrations":
        import importlib

        return importlib.import_module(".integrations", __name__)
    return _NoOp(name)
