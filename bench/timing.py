"""What every benchmark shares: timing an action, a result line with its medians, and the
pauses of full garbage collections."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HEADER = f"{'measurement (ms)':<44} {'n':>5} {'median':>8} {'p90':>8} {'max':>8} {'cpu':>7}  target"
"""The column titles above Result.line(); cpu is the median time on a CPU, where measured."""


@dataclass(frozen=True)
class Result:
    """One line of the table: samples in milliseconds (wall clock, and when measured the
    process's CPU time for each), the target, and what is compared."""

    name: str
    samples: Sequence[float]
    target_ms: float | None = None
    note: str = ""
    cpu: Sequence[float] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        if not self.samples:
            return f"{self.name:<44} {'':>5} {self.note}"
        values = sorted(self.samples)
        cells = f"{len(values):>5} {self.median:>8.1f} {percentile(values, 90):>8.1f}"
        cells += f" {values[-1]:>8.1f}"
        cells += f" {statistics.median(self.cpu):>7.1f}" if self.cpu else f" {'':>7}"
        if self.target_ms is None:
            verdict = ""
        else:
            passed = "PASS" if self.median < self.target_ms else "MISS"
            verdict = f"  < {self.target_ms:>3.0f} ms  {passed}"
        return f"{self.name:<44} {cells}{verdict}{'  ' + self.note if self.note else ''}"


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Run `action` once: (wall clock, CPU time of this process) in milliseconds."""
    started, on_cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - started) * 1000, (time.process_time() - on_cpu) * 1000


def ms(started: float) -> float:
    """Milliseconds since `started` (a time.perf_counter() value)."""
    return (time.perf_counter() - started) * 1000


class GcPauses:
    """Full (generation 2) garbage collections: they stop every Python thread while they run."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(ms(self._started))

    def since(self, count: int) -> str:
        """A note on the full collections after the first `count`."""
        found = self.pauses[count:]
        return f"; {len(found)} full GC, longest {max(found):.0f}" if found else ""
