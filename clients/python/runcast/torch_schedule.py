"""``schedule_from_torch``: the declared LR plan of a PyTorch/HF scheduler, and the LR actually used.

Duck-typed: torch is never imported here. The plan is the scheduler's LR at every step of the
horizon - a LambdaLR (every HF ``get_*_schedule_with_warmup``, WSD lambdas) by evaluating its
lambda, any other scheduler by stepping a copy bound to a stand-in optimizer - compressed into a
``segments`` spec (constant / linear / cosine pieces within 0.01% of the peak), or a ``table``
when it has no short piecewise form.
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any, Callable, Dict, List, Optional

_GRID = 4000  # at most this many sampled steps per plan (plus the exact end)
_MAX_SEGMENTS = 200


class _StandInOptimizer:
    """What LR schedulers touch of an optimizer: param_groups, and a step marked as counted."""

    def __init__(self, groups: List[Dict[str, Any]]):
        self.param_groups = [{k: v for k, v in g.items() if k != "params"} for g in groups]
        self.defaults: Dict[str, Any] = {}
        self._step_count = 1
        self.state: Dict[Any, Any] = {}

        def step(*_a: Any, **_k: Any) -> None:
            return None

        step._with_counter = True  # type: ignore[attr-defined]
        self.step = step


def _rebind(scheduler: Any, optimizer: _StandInOptimizer, memo: Dict[int, Any]) -> Any:
    if id(scheduler) in memo:
        return memo[id(scheduler)]
    clone = copy.copy(scheduler)
    memo[id(scheduler)] = clone
    clone.__dict__ = dict(scheduler.__dict__)
    clone.optimizer = optimizer
    for name in ("_schedulers",):  # SequentialLR, ChainedScheduler
        children = getattr(scheduler, name, None)
        if isinstance(children, (list, tuple)):
            setattr(clone, name, [_rebind(c, optimizer, memo) for c in children])
    return clone


def _sampler(optimizer: Any, scheduler: Any, total: int) -> Callable[[List[int]], List[float]]:
    """A function giving the LR of group 0 at the given (sorted, 0-based) steps."""
    base = float(optimizer.param_groups[0].get("initial_lr", optimizer.param_groups[0]["lr"]))
    if scheduler is None:
        lr = float(optimizer.param_groups[0]["lr"])
        return lambda steps: [lr] * len(steps)
    lambdas = getattr(scheduler, "lr_lambdas", None)
    if type(scheduler).__name__ == "LambdaLR" and lambdas:
        fn = lambdas[0]
        base_lrs = getattr(scheduler, "base_lrs", [base])
        return lambda steps: [float(base_lrs[0]) * float(fn(s)) for s in steps]
    if type(scheduler).__name__ == "ReduceLROnPlateau":
        lr = float(optimizer.param_groups[0]["lr"])
        return lambda steps: [lr] * len(steps)

    def simulate(steps: List[int]) -> List[float]:
        stand_in = _StandInOptimizer(optimizer.param_groups)
        clone = _rebind(scheduler, stand_in, {})
        start = int(getattr(scheduler, "last_epoch", 0))
        out: List[float] = []
        wanted = iter(steps)
        nxt = next(wanted, None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = start
            while nxt is not None:
                if t >= nxt:
                    out.append(float(stand_in.param_groups[0]["lr"]))
                    nxt = next(wanted, None)
                    continue
                clone.step()
                t += 1
        return out

    return simulate


def _shape_value(shape: str, a: float, b: float, u: float) -> float:
    if shape == "constant":
        return a
    if shape == "linear":
        return a + (b - a) * u
    return b + (a - b) * (1 + math.cos(math.pi * u)) / 2


def _fits(shape: str, xs: List[int], ys: List[float], i: int, j: int, tol: float) -> bool:
    a, b = ys[i], ys[j]  # a constant piece ends where the next value begins: b is not its own
    span = xs[j] - xs[i]
    for k in range(i + 1, j):
        u = (xs[k] - xs[i]) / span
        if abs(_shape_value(shape, a, b, u) - ys[k]) > tol:
            return False
    return True


def _longest(shape: str, xs: List[int], ys: List[float], i: int, tol: float) -> int:
    """The farthest end j such that one ``shape`` piece over [i, j] fits (doubling, bisection)."""
    n = len(xs) - 1
    lo, step = i + 1, 1
    while lo + step <= n and _fits(shape, xs, ys, i, lo + step, tol):
        lo += step
        step *= 2
    hi = lo + step
    if hi > n:
        if _fits(shape, xs, ys, i, n, tol):
            return n
        hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _fits(shape, xs, ys, i, mid, tol):
            lo = mid
        else:
            hi = mid
    return lo


def _flat_ends(xs: List[int], ys: List[float], tol: float) -> List[int]:
    """Where a sloped stretch turns flat, and the end: the only places a cosine piece can end."""
    out = [len(xs) - 1]
    for k in range(1, len(xs) - 1):
        before = abs(ys[k] - ys[k - 1]) / (xs[k] - xs[k - 1])
        after = abs(ys[k + 1] - ys[k]) / (xs[k + 1] - xs[k])
        if after <= tol * 1e-3 and before > after * 10 + tol * 1e-3:
            out.append(k)
    return sorted(set(out), reverse=True)[:64]


def _best_piece(xs: List[int], ys: List[float], i: int, tol: float, ends: List[int]):
    """The longest piece from grid point i: (end index, shape); the simpler shape on a tie."""
    best = (_longest("constant", xs, ys, i, tol), "constant")
    j = _longest("linear", xs, ys, i, tol)
    if j > best[0]:
        best = (j, "linear")
    for j in ends:  # a cosine is only right over its whole span: try the places it can end
        if j <= best[0]:
            break
        if _fits("cosine", xs, ys, i, j, tol):
            best = (j, "cosine")
            break
    return best


def compress_plan(xs: List[int], ys: List[float], total: int) -> Dict[str, Any]:
    """LR samples (0-based steps xs, last = total) as a segments spec, else a table spec."""
    peak = max(ys) if ys else 0.0
    tol = max(peak * 1e-4, 1e-15)
    ends = _flat_ends(xs, ys, tol)
    segments = []
    i = 0
    while i < len(xs) - 1 and len(segments) <= _MAX_SEGMENTS:
        j, shape = _best_piece(xs, ys, i, tol, ends)
        seg: Dict[str, Any] = {"start": xs[i], "end": xs[j], "shape": shape, "from": max(ys[i], 0.0)}
        if shape != "constant":
            seg["to"] = max(ys[j], 0.0)
        segments.append(seg)
        i = j
    if len(segments) <= _MAX_SEGMENTS:
        return {"kind": "segments", "total": total, "peak": peak, "segments": segments}
    return {"kind": "table", "total": total, "peak": peak, "values": [[x, max(y, 0.0)] for x, y in zip(xs, ys)]}


def _sample_grid(sample: Callable[[List[int]], List[float]], total: int):
    """
    The LR on a grid of at most _GRID steps (and the end), made exact around kinks: where the
    second difference shows a corner (warmup end, decay start, a step), every step nearby.
    """
    stride = max(1, math.ceil(total / _GRID))
    xs = list(range(0, total, stride)) + [total]
    ys = sample(xs)
    if stride == 1:
        return xs, ys
    tol = max(ys) * 1e-4
    extra: set = set()
    for k in range(1, len(xs) - 1):
        if abs(ys[k - 1] - 2 * ys[k] + ys[k + 1]) > tol:
            extra.update(range(xs[k - 1] + 1, xs[k + 1]))
            if len(extra) > 20 * _GRID:
                return xs, ys
    if not extra:
        return xs, ys
    xs = sorted(set(xs) | extra)
    return xs, sample(xs)


class TorchSchedule:
    """The plan (``spec``) and the LR used by the last ``optimizer.step()`` (``current_lr``)."""

    def __init__(self, optimizer: Any, spec: Optional[Dict[str, Any]]):
        self.optimizer = optimizer
        self.spec = spec
        self._used: Optional[float] = None
        self._wrap_step()

    def _wrap_step(self) -> None:
        original = getattr(self.optimizer, "step", None)
        if original is None or getattr(original, "_runcast", False):
            return
        groups = self.optimizer.param_groups

        def step(*args: Any, **kwargs: Any) -> Any:
            self._used = groups[0]["lr"]
            return original(*args, **kwargs)

        step._runcast = True  # type: ignore[attr-defined]
        step._with_counter = True  # type: ignore[attr-defined]  # keep torch's scheduler check quiet
        try:
            self.optimizer.step = step
        except (AttributeError, TypeError):
            pass

    def current_lr(self) -> float:
        """The LR of the last optimizer step (before the scheduler moved it), else the current one."""
        used = self._used
        return float(used if used is not None else self.optimizer.param_groups[0]["lr"])


def schedule_from_torch(optimizer: Any, scheduler: Any = None, total_steps: Optional[int] = None) -> TorchSchedule:
    """
    The declared plan of ``scheduler`` over ``total_steps`` optimizer steps (call it before the
    first step), and the LR each logged step actually used. Pass the result as
    ``runcast.init(schedule=...)``: pushes carry the plan once, and every ``log`` without an
    ``lr`` adds the LR of the last optimizer step.
    """
    spec: Optional[Dict[str, Any]] = None
    if total_steps is not None and int(total_steps) > 0:
        total = int(total_steps)
        try:
            xs, ys = _sample_grid(_sampler(optimizer, scheduler, total), total)
            spec = compress_plan(xs, ys, total)
        except Exception as e:  # an exotic scheduler: the logged LR still goes up
            warnings.warn(f"runcast: could not read the plan of {type(scheduler).__name__}: {e!r}", stacklevel=2)
    return TorchSchedule(optimizer, spec)
