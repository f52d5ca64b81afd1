"""Verdicts and forecasts as the server computes them, and a non-blocking stop check for loops."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .run import Run


@dataclass
class Verdict:
    """``stop`` is True only for a decided 'stop'; 'undecided' (or an error) never stops a run."""

    verdict: str
    probability: Optional[float]
    decidable_at_step: Optional[int]
    reason: str
    observed_until: Optional[int] = None
    target: Optional[float] = None
    vs: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def stop(self) -> bool:
        return self.verdict == "stop"

    @classmethod
    def from_api(cls, doc: Dict[str, Any], target: Optional[float] = None, vs: Optional[str] = None) -> "Verdict":
        return cls(
            verdict=doc["verdict"],
            probability=doc.get("probability"),
            decidable_at_step=doc.get("decidableAtStep"),
            reason=doc.get("reason", ""),
            observed_until=doc.get("observedUntil"),
            target=target,
            vs=None if vs is None else str(vs),
            raw=doc,
        )

    @classmethod
    def undecided(cls, reason: str, target: Optional[float] = None, vs: Optional[str] = None) -> "Verdict":
        return cls("undecided", None, None, reason, target=target, vs=None if vs is None else str(vs))

    def record(self) -> Dict[str, Any]:
        """The verdict as the push API stores it with a stopped run."""
        out: Dict[str, Any] = {"verdict": self.verdict, "reason": self.reason[:2000]}
        out["probability"] = self.probability
        out["step"] = self.observed_until
        if self.target is not None:
            out["target"] = self.target
        if self.vs is not None:
            out["vs"] = self.vs[:512]
        return out


@dataclass
class Band:
    mean: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float

    @classmethod
    def from_api(cls, doc: Dict[str, Any]) -> "Band":
        return cls(doc["mean"], doc["lo80"], doc["hi80"], doc["lo95"], doc["hi95"])


@dataclass
class Forecast:
    """The forecast final loss (``final.mean``, ``lo80``/``hi80``, ``lo95``/``hi95``) and curve."""

    model: str
    observed_until: int
    horizon: int
    final: Band
    curve: List[Dict[str, float]] = field(default_factory=list, repr=False)
    raw: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_api(cls, doc: Dict[str, Any]) -> "Forecast":
        return cls(doc["model"], doc["observedUntil"], doc["horizon"], Band.from_api(doc["final"]), doc.get("curve", []), doc)


class StopCheck:
    """
    Rate-limited, non-blocking verdict checks: ``check(step)`` returns at once; when a check is
    due (every ``every_steps`` steps or ``every_seconds`` seconds) it starts one in a background
    thread. Returns True once a decided 'stop' came back; the run then finishes as 'stopped'
    with that verdict.
    """

    def __init__(
        self,
        run: "Run",
        target: Optional[float] = None,
        vs: Optional[str] = None,
        every_steps: Optional[int] = None,
        every_seconds: float = 30.0,
        confidence: Optional[float] = None,
    ):
        if (target is None) == (vs is None):
            raise ValueError("give exactly one of target= or vs=")
        self.run = run
        self.target = target
        self.vs = vs
        self.every_steps = every_steps
        self.every_seconds = every_seconds
        self.confidence = confidence
        self.verdict: Optional[Verdict] = None
        self.checks = 0
        self._last_step: Optional[int] = None
        self._last_time = 0.0
        self._thread: Optional[threading.Thread] = None

    @property
    def stopped(self) -> bool:
        return self.verdict is not None and self.verdict.stop

    def _due(self, step: int) -> bool:
        if self._last_step is None:
            return True
        if self.every_steps is not None and step - self._last_step >= self.every_steps:
            return True
        return self.every_seconds is not None and time.monotonic() - self._last_time >= self.every_seconds

    def _check(self) -> None:
        verdict = self.run.should_stop(target=self.target, vs=self.vs, confidence=self.confidence)
        self.checks += 1
        if verdict.stop:
            self.run.stop_verdict = verdict
        self.verdict = verdict

    def __call__(self, step: int) -> bool:
        if self.stopped:
            return True
        if self._thread is not None and self._thread.is_alive():
            return False
        if not self._due(step):
            return False
        self._last_step = step
        self._last_time = time.monotonic()
        self._thread = threading.Thread(target=self._check, name="runcast-stop-check", daemon=True)
        self._thread.start()
        return False

    def wait(self, timeout: float = 60.0) -> Optional[Verdict]:
        """Waits for the check in flight (tests, the end of a loop); returns the last verdict."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.verdict
