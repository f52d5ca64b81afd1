"""A run: ``log`` only enqueues; a daemon thread batches, spools and sends.

Nothing here raises into the training loop: a value that cannot be stored is converted or
dropped with a warning (once per metric), a server that cannot be reached is retried with
backoff while every batch waits in the spool file.
"""

from __future__ import annotations

import collections
import json
import math
import threading
import time
import warnings
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from .spool import Spool, default_spool_dir, take_leftovers
from .transport import TransportError
from .verdicts import Forecast, StopCheck, Verdict

_SKIP = object()
_MAX_BODY_BYTES = 4 * 1024 * 1024


class RuncastWarning(UserWarning):
    """Something was not stored or not sent; training goes on."""


class _Warner:
    """Warns once per topic (a metric, an error kind) so a loop of a million steps is not flooded."""

    def __init__(self) -> None:
        self._seen: set = set()

    def __call__(self, topic: str, message: str) -> None:
        if topic in self._seen:
            return
        self._seen.add(topic)
        warnings.warn(f"runcast: {message}", RuncastWarning, stacklevel=3)


class _Tracked(dict):
    """A dict that tells the run when it changes (config, summary); attribute access like W&B."""

    def __init__(self, on_change: Callable[[], None], initial: Optional[dict] = None):
        super().__init__(initial or {})
        object.__setattr__(self, "_on_change", on_change)

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self._on_change()

    def __delitem__(self, key) -> None:
        super().__delitem__(key)
        self._on_change()

    def update(self, *args, **kwargs) -> None:  # type: ignore[override]
        super().update(*args, **kwargs)
        self._on_change()

    def setdefaults(self, values: dict) -> None:
        """W&B's config.setdefaults: set only the keys not set yet."""
        for k, v in values.items():
            if k not in self:
                super().__setitem__(k, v)
        self._on_change()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value) -> None:
        self[name] = value


def _jsonable(value: Any) -> Any:
    """Config/summary values as JSON: numbers, strings, lists, dicts; tensors via item/tolist."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    for name in ("item", "tolist"):
        fn = getattr(value, name, None)
        if callable(fn):
            try:
                return _jsonable(fn())
            except Exception:
                pass
    return str(value)


def _wire_value(v: Any) -> Any:
    """A finite number as is; NaN as null (a diverged value, kept), +-inf as the strings."""
    if v - v == 0:
        return v
    if v != v:
        return None
    return "Infinity" if v > 0 else "-Infinity"


class Run:
    """
    One training run on a Runcast server. Create it with ``runcast.init``; ``log`` from the loop,
    ``finish`` at the end (or use it as a context manager). ``config`` and ``summary`` are dicts;
    changes are pushed with the next batch.
    """

    def __init__(
        self,
        *,
        project: str,
        name: str,
        group: Optional[str],
        schedule: Any,
        config: Optional[dict],
        tags: Optional[List[str]],
        transport: Any,
        server: Optional[str] = None,
        token: Optional[str] = None,
        spool_dir: Optional[str] = None,
        batch_size: int = 10_000,
        flush_interval: float = 1.0,
        max_backoff: float = 10.0,
        exit_timeout: float = 10.0,
    ):
        self.project = project
        self.name = name
        self.group = group
        self.server = server
        self.token = token
        self.id: Optional[int] = None
        self._transport = transport
        self._warn = _Warner()
        self._batch_size = max(1, int(batch_size))
        self._flush_interval = flush_interval
        self._max_backoff = max_backoff
        self.exit_timeout = exit_timeout
        self._queue: Deque[Tuple[int, dict, float]] = collections.deque()
        self._next_step = 0
        self._lock = threading.Lock()
        self._dirty: Dict[str, Any] = {"status": "running"}
        self.config = _Tracked(lambda: self._mark("config"), _jsonable(config or {}))
        self.summary = _Tracked(lambda: self._mark("summary"))
        self._config_sent: dict = {}
        self._summary_sent: dict = {}
        if self.config:
            self._mark("config")
        self.tags = list(tags or [])
        if tags:
            self._dirty["tags"] = list(self.tags)
        self._lr_source: Optional[Callable[[], float]] = None
        self.schedule: Optional[dict] = None
        self._set_schedule(schedule)
        self.stop_verdict: Optional[Verdict] = None
        self.finished = False
        self.crashed = False
        # Sender state (touched by the sender thread; flush() waits on _idle).
        self._pending: Deque[bytes] = collections.deque()
        self._rejected = 0
        self._backoff = 0.0
        self._retry_at = 0.0
        self._wake = threading.Event()
        self._idle = threading.Condition()
        self._stopping = False
        self._cycle = 0
        self._made = 0
        self._made_at_cycle = 0
        self._done = 0
        self.sent_points = 0
        self._spool = Spool(spool_dir or default_spool_dir(), project, name)
        self._thread: Optional[threading.Thread] = None
        if transport is not None:
            self._leftovers = take_leftovers(self._spool.directory, project, name)
            self._thread = threading.Thread(target=self._run_sender, name="runcast-sender", daemon=True)
            self._thread.start()

    # ----- the training loop side --------------------------------------------------------------

    def log(self, metrics: Dict[str, Any], step: Optional[int] = None, commit: Optional[bool] = None) -> None:
        """
        Records ``metrics`` (name -> number) at optimizer ``step`` (default: one past the last
        step logged). Non-blocking: only enqueues. NaN is kept (a diverged value); a tensor or
        numpy scalar is converted; anything else is dropped with one warning per metric.
        """
        try:
            if step is None:
                step = self._next_step
                if commit is not False:
                    self._next_step = step + 1
            else:
                if type(step) is not int:
                    step = int(step)
                if step < 0:
                    self._warn("step", f"negative step {step} dropped")
                    return
                self._next_step = step + 1
            values = {}
            for k, v in metrics.items():
                t = type(v)
                if t is float or t is int:
                    values[k] = v
                else:
                    v = self._convert(k, v)
                    if v is not _SKIP:
                        values[k] = v
            lr = self._lr_source
            if lr is not None and "lr" not in values and "learning_rate" not in values:
                values["lr"] = lr()
            if values:
                self._queue.append((step, values, time.time()))
                if len(self._queue) >= self._batch_size:
                    self._wake.set()
        except Exception as e:  # never into the training loop
            self._warn("log:" + type(e).__name__, f"log() failed and was skipped: {e!r}")

    def _convert(self, key: Any, v: Any) -> Any:
        if isinstance(v, bool):
            return float(v)
        if isinstance(v, (int, float)):
            return float(v)
        if v is None:
            return _SKIP
        item = getattr(v, "item", None)
        if callable(item):
            try:
                x = item()
                if isinstance(x, (int, float)) and not isinstance(x, bool):
                    return float(x)
            except Exception:
                size = getattr(v, "numel", None) or getattr(v, "size", None)
                n = size() if callable(size) else size
                self._warn(f"value:{key}", f"metric {key!r}: a tensor/array of {n} values is not a scalar; dropped")
                return _SKIP
        try:
            import numbers

            if isinstance(v, numbers.Real):
                return float(v)
        except Exception:
            pass
        self._warn(f"value:{key}", f"metric {key!r}: {type(v).__name__} is not a number; dropped")
        return _SKIP

    def _mark(self, field: str) -> None:
        with self._lock:
            self._dirty[field] = True

    def _set_schedule(self, schedule: Any) -> None:
        spec = getattr(schedule, "spec", schedule)
        if spec is not None and not isinstance(spec, dict):
            self._warn("schedule", f"schedule must be a dict spec, got {type(spec).__name__}; ignored")
            spec = None
        self.schedule = spec
        self._lr_source = getattr(schedule, "current_lr", None)
        if spec is not None:
            self._dirty["schedule"] = spec

    def define_schedule(self, schedule: Any) -> None:
        """Declares (or replaces) the LR schedule: a spec dict or ``schedule_from_torch(...)``."""
        with self._lock:
            self._set_schedule(schedule)

    # ----- the sender thread -------------------------------------------------------------------

    def _meta(self) -> dict:
        """Run fields for the next body: the identity always, the rest when changed."""
        body: Dict[str, Any] = {"project": self.project, "run": self.name}
        if self.group:
            body["group"] = self.group
        with self._lock:
            dirty, self._dirty = self._dirty, {}
        for field, value in dirty.items():
            if field == "config":
                config = _jsonable(dict(self.config))
                changed = {k: v for k, v in config.items() if self._config_sent.get(k, _SKIP) != v}
                if changed:
                    body["config"] = changed
                    self._config_sent.update(changed)
            elif field == "summary":
                summary = _jsonable(dict(self.summary))
                changed = {k: v for k, v in summary.items() if self._summary_sent.get(k, _SKIP) != v}
                if changed:
                    body["summary"] = changed
                    self._summary_sent.update(changed)
            else:
                body[field] = value
        return body

    def _take_points(self) -> List[dict]:
        points = []
        q = self._queue
        for _ in range(min(len(q), self._batch_size)):
            step, values, t = q.popleft()
            metrics = {}
            for k, v in values.items():
                if type(k) is not str:
                    k = str(k)
                if not 0 < len(k) <= 200:
                    self._warn(f"key:{k[:50]}", f"metric name {k[:50]!r}... must be 1-200 characters; dropped")
                    continue
                metrics[k] = _wire_value(v)
            if metrics:
                points.append({"step": step, "metrics": metrics, "time": round(t, 3)})
        return points

    def _encode(self, body: dict) -> List[bytes]:
        raw = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
        points = body["points"]
        if len(raw) <= _MAX_BODY_BYTES or len(points) < 2:
            return [raw]
        half = len(points) // 2
        first = dict(body, points=points[:half])
        rest = {"project": body["project"], "run": body["run"], "points": points[half:]}
        return self._encode(first) + self._encode(rest)

    def _drain(self) -> None:
        """Moves queued points (and changed run fields) into spooled bodies, oldest first."""
        while self._queue or self._dirty:
            body = self._meta()
            fields = len(body) - (3 if "group" in body else 2)
            body["points"] = self._take_points()
            if not body["points"] and not fields:
                continue
            for raw in self._encode(body):
                self._spool.append(raw)
                self._pending.append(raw)
                self._made += 1

    def _send_pending(self) -> None:
        while self._pending:
            if time.monotonic() < self._retry_at:
                return
            raw = self._pending[0]
            try:
                reply = self._transport.push(raw)
            except TransportError as e:
                if e.retryable:
                    self._backoff = min(self._max_backoff, max(0.25, self._backoff * 2))
                    self._retry_at = time.monotonic() + self._backoff
                    self._warn("send", f"push failed, retrying with backoff (batches kept in {self._spool.path}): {e}")
                    return
                self._rejected += 1
                self._warn(f"rejected:{e.status}", f"the server refused a batch ({e}); kept in {self._spool.path}")
            except Exception as e:
                self._rejected += 1
                self._warn("transport", f"push failed ({e!r}); kept in {self._spool.path}")
            else:
                self._backoff = 0.0
                if isinstance(reply, dict) and isinstance(reply.get("runId"), int):
                    self.id = reply["runId"]
                if isinstance(reply, dict) and isinstance(reply.get("accepted"), int):
                    self.sent_points += reply["accepted"]
            self._pending.popleft()
            self._done += 1
        if not self._rejected:
            self._spool.clear()

    def _run_sender(self) -> None:
        for raw in self._leftovers:
            self._spool.append(raw)
            self._pending.append(raw)
            self._made += 1
        self._leftovers = []
        while True:
            wait = self._flush_interval
            if self._pending and self._retry_at:
                wait = max(0.0, min(wait, self._retry_at - time.monotonic()))
            self._wake.wait(wait)
            self._wake.clear()
            try:
                self._drain()
                self._send_pending()
            except Exception as e:  # the sender never dies
                self._warn("sender:" + type(e).__name__, f"sender error: {e!r}")
            with self._idle:
                self._cycle += 1
                self._made_at_cycle = self._made
                self._idle.notify_all()
            if self._stopping:
                return

    # ----- flush, finish -------------------------------------------------------------------------

    def flush(self, timeout: float = 30.0) -> bool:
        """
        Sends everything logged before this call (other threads may keep logging); True when it is
        all stored, False at the timeout (it stays queued and spooled).
        """
        if self._thread is None:
            return True
        deadline = time.monotonic() + timeout
        rejected = self._rejected
        with self._idle:
            # A whole sender cycle that began after this call has put all of it into bodies.
            first = self._cycle + 2
            target: Optional[int] = None
            while target is None or self._done < target:
                if target is None and self._cycle >= first:
                    target = self._made_at_cycle
                    continue
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    return False
                self._retry_at = min(self._retry_at, time.monotonic() + 0.5)
                self._wake.set()
                self._idle.wait(min(left, 0.5))
        return self._rejected == rejected

    def finish(self, status: Optional[str] = None, verdict: Optional[Verdict] = None, timeout: Optional[float] = None) -> None:
        """
        Flushes (at most ``timeout`` s, default 30) and marks the run ``status``: by default
        'stopped' when a stop check ended it early (with that verdict), else 'finished'.
        What could not be sent stays in the spool file, named in a warning.
        """
        if self.finished:
            return
        self.finished = True
        verdict = verdict or self.stop_verdict
        if status is None:
            status = "crashed" if self.crashed else "stopped" if verdict is not None and verdict.stop else "finished"
        with self._lock:
            self._dirty["status"] = status
            if status == "stopped" and verdict is not None:
                self._dirty["verdict"] = verdict.record()
            if self.summary:
                self._dirty["summary"] = True
        from . import _forget

        _forget(self)
        if self._thread is None:
            return
        stored = self.flush(30.0 if timeout is None else timeout)
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=2.0)
        if self._thread.is_alive():  # stuck in a request: leave its file to it
            kept: Optional[str] = self._spool.path if self._spool.lines else None
        elif stored and not self._rejected:
            kept = self._spool.close()
        else:
            kept = self._close_spool_keeping()
        if kept:
            self._warn(
                "kept",
                f"batches of run {self.name!r} were not stored; they are kept in {kept}: "
                f"re-sent by the next runcast.init of this run, or `runcast ingest {kept} --server URL --token T`",
            )

    def _close_spool_keeping(self) -> Optional[str]:
        path = self._spool.path
        self._spool.close()
        return path if self._spool.lines else None

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.crashed = True
        self.finish()

    # ----- verdicts and forecasts -----------------------------------------------------------------

    def _resolve_id(self, ref: Optional[str] = None) -> Optional[int]:
        if ref is None and self.id is not None:
            return self.id
        name = self.name if ref is None else ref
        for candidate in (f"push:{self.project}/{name}", name):
            try:
                run = self._transport.query("runs.resolve", {"ref": candidate})
                if ref is None:
                    self.id = run["id"]
                return run["id"]
            except TransportError:
                continue
        return None

    def should_stop(
        self,
        target: Optional[float] = None,
        vs: Optional[str] = None,
        confidence: Optional[float] = None,
        key: Optional[str] = None,
        timeout: float = 30.0,
    ) -> Verdict:
        """
        Asks the server whether to stop: ``target`` (a final loss to reach) or ``vs`` ('best' or
        another run's name). Flushes first so the verdict sees every logged point. Blocks for one
        request; errors give an 'undecided' verdict (which never says stop) with the reason.
        """
        if (target is None) == (vs is None):
            raise ValueError("give exactly one of target= or vs=")
        if self._transport is None:
            return Verdict.undecided("no server (disabled run)")
        self.flush(timeout)
        try:
            run_id = self._resolve_id()
            if run_id is None:
                return Verdict.undecided(f"run {self.name!r} is not on the server yet")
            query: Dict[str, Any] = {"runId": run_id}
            if target is not None:
                query["target"] = float(target)
            elif vs == "best":
                query["vs"] = "best"
            else:
                other = self._resolve_id(str(vs))
                if other is None:
                    return Verdict.undecided(f"no run {vs!r} to compare with")
                query["vs"] = other
            if confidence is not None:
                query["confidence"] = confidence
            if key is not None:
                query["key"] = key
            doc = self._transport.query("decisions.shouldStop", query)
            return Verdict.from_api(doc, target=target, vs=vs)
        except TransportError as e:
            return Verdict.undecided(str(e), target=target, vs=vs)
        except Exception as e:
            self._warn("verdict", f"should_stop failed: {e!r}")
            return Verdict.undecided(repr(e), target=target, vs=vs)

    def forecast(self, key: Optional[str] = None, timeout: float = 30.0) -> Optional[Forecast]:
        """The forecast of the rest of the run (``final.mean/lo80/hi80``), or None (with a warning)."""
        if self._transport is None:
            return None
        self.flush(timeout)
        try:
            run_id = self._resolve_id()
            if run_id is None:
                raise TransportError(f"run {self.name!r} is not on the server yet", retryable=False)
            query: Dict[str, Any] = {"runId": run_id}
            if key is not None:
                query["key"] = key
            return Forecast.from_api(self._transport.query("forecasts.get", query))
        except Exception as e:
            self._warn("forecast", f"no forecast: {e}")
            return None

    def stop_check(
        self,
        target: Optional[float] = None,
        vs: Optional[str] = None,
        every_steps: Optional[int] = None,
        every_seconds: float = 30.0,
        confidence: Optional[float] = None,
    ) -> StopCheck:
        """A non-blocking, rate-limited verdict check for a plain loop: ``if check(step): break``."""
        return StopCheck(self, target=target, vs=vs, every_steps=every_steps, every_seconds=every_seconds, confidence=confidence)

    def alert(self, title: str, text: str = "", level: Optional[str] = None, **_: Any) -> None:
        """W&B's alert: warns locally and records it in the run's summary (``alerts``)."""
        warnings.warn(f"runcast alert [{level or 'INFO'}] {title}: {text}", RuncastWarning, stacklevel=2)
        alerts = list(self.summary.get("alerts", []))
        alerts.append({"title": str(title), "text": str(text), "level": str(level or "INFO"), "time": time.time()})
        self.summary["alerts"] = alerts[-20:]

    def __repr__(self) -> str:
        return f"<runcast.Run {self.project}/{self.name} id={self.id}>"
