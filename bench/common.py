"""What every benchmark shares: results, timing, percentiles, and finding Servanda's code."""

from __future__ import annotations

import importlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """One line of the report. Times are seconds; `metric` says which statistic they are."""

    bench: str
    metric: str
    servanda: float | None
    raw: float | None
    target: str
    passed: bool | None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    db: str = ""

    @property
    def ratio(self) -> float | None:
        if self.servanda is None or not self.raw:
            return None
        return self.servanda / self.raw

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ratio"] = self.ratio
        return d


def log(message: str) -> None:
    """Progress of a run on stderr (the results go to a file)."""
    print(f"  · {message}", file=sys.stderr, flush=True)


class Unavailable(Exception):
    """The Servanda code path this benchmark measures does not exist (yet)."""


def servanda_function(module: str, name: str) -> Callable[..., Any]:
    """Servanda's function `module.name`, or Unavailable saying what is missing."""
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{module} cannot be imported ({exc})") from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise Unavailable(f"{module}.{name} does not exist")
    return fn


def unavailable(bench: str, metric: str, target: str, why: str) -> Result:
    return Result(bench, metric, None, None, target, None, note=f"not available: {why}")


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...` then `t[0]` is the elapsed seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def percentile(samples: list[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method: an observed sample, never interpolated."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, min(len(ordered), -(-int(q * 1000) * len(ordered) // 1000)))
    return ordered[rank - 1]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": percentile(samples, 0.50),
        "p99": percentile(samples, 0.99),
        "mean": statistics.fmean(samples),
        "max": max(samples),
    }


def timed_each(fn: Callable[[Any], Any], args: list[Any], warmup: int = 20) -> list[float]:
    """Latency of fn(arg) for every arg, after a warm-up on the first few (caches, plans)."""
    for a in args[:warmup]:
        fn(a)
    out = []
    for a in args:
        t0 = time.perf_counter()
        fn(a)
        out.append(time.perf_counter() - t0)
    return out
