"""Progress and outcome of a fetch run, as values the CLI and the pages both render."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceProgress:
    """One source's state in a run: works done out of planned, by outcome, and its pace."""

    source: str
    total: int
    done: int = 0
    ok: int = 0
    not_found: int = 0
    errors: int = 0
    skipped: int = 0
    requests: int = 0
    elapsed: float = 0.0
    rate: float = 0.0  # works stored per second
    eta_seconds: float | None = None
    finished: bool = False


@dataclass(frozen=True)
class ProgressEvent:
    """A snapshot after a batch was stored; `source` is the one that moved."""

    source: str
    sources: tuple[SourceProgress, ...]
    elapsed: float
    cancelled: bool = False

    @property
    def done(self) -> int:
        return sum(s.done for s in self.sources)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sources)

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def eta_seconds(self) -> float | None:
        etas = [s.eta_seconds for s in self.sources if not s.finished]
        return None if any(e is None for e in etas) else max(etas, default=0.0)


@dataclass(frozen=True)
class FetchSummary:
    """What a run did: per source outcomes, what was already fresh, and what failed and why."""

    works: int
    sources: tuple[SourceProgress, ...]
    up_to_date: dict[str, int]
    failures: dict[str, list[str]]  # source -> its most frequent error messages
    elapsed: float
    cancelled: bool = False

    @property
    def failed_sources(self) -> list[str]:
        """Sources none of whose planned works could be fetched."""
        return [s.source for s in self.sources if s.total and s.errors == s.total]

    @property
    def exit_code(self) -> int:
        """0 even when sources failed: the failures are per work, recorded, and retried later."""
        return 0


def _eta(left: int, measured: float, planned: float | None) -> float | None:
    """Seconds left at the slower of the measured pace and the rate limit's; None if neither."""
    rates = [r for r in (measured, planned) if r and r > 0]
    return left / min(rates) if rates else None


@dataclass
class Tally:
    """Mutable counters behind `SourceProgress`, kept by the ingest loop."""

    source: str
    total: int
    started: float = field(default_factory=time.monotonic)
    counts: Counter = field(default_factory=Counter)
    requests: int = 0
    messages: Counter = field(default_factory=Counter)
    finished: bool = False
    # Works the rate limit lets through per second (requests/s x works per request): the ETA
    # before the first batch returns, and a floor on it after (we never go faster than this).
    planned_rate: float | None = None

    def add(self, status: str, message: str = "") -> None:
        self.counts[status] += 1
        if status == "error" and message:
            self.messages[message] += 1

    def snapshot(self, now: float | None = None) -> SourceProgress:
        elapsed = (time.monotonic() if now is None else now) - self.started
        done = sum(self.counts.values())
        rate = done / elapsed if elapsed > 0 else 0.0
        left = max(0, self.total - done)
        eta = 0.0 if not left or self.finished else _eta(left, rate, self.planned_rate)
        return SourceProgress(
            source=self.source,
            total=self.total,
            done=done,
            ok=self.counts["ok"],
            not_found=self.counts["not_found"],
            errors=self.counts["error"],
            skipped=self.counts["skipped"],
            requests=self.requests,
            elapsed=elapsed,
            rate=rate,
            eta_seconds=eta,
            finished=self.finished,
        )


def format_duration(seconds: float | None) -> str:
    """'2m05s', '40s', or '?' when unknown."""
    return _duration(seconds)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def format_progress(event: ProgressEvent) -> str:
    """One line: overall done/total and time left, then each source's done/total."""
    parts = [
        f"{s.source} {s.done}/{s.total}" + (f" ({s.errors} errors)" if s.errors else "")
        for s in event.sources
    ]
    return (
        f"[{event.fraction:6.1%}] {event.done}/{event.total} works·sources, "
        f"{_duration(event.elapsed)} elapsed, ~{_duration(event.eta_seconds)} left | "
        + ", ".join(parts)
    )


def format_summary(summary: FetchSummary) -> str:
    """A table of outcomes per source, then the failures in words."""
    head = "Fetch cancelled; what was fetched is kept." if summary.cancelled else "Fetch finished."
    lines = [f"{head} {summary.works} works in {_duration(summary.elapsed)}."]
    if not summary.sources:
        lines.append("Nothing to fetch: every work is up to date for the chosen sources.")
    lines.append(
        f"{'source':<16}{'planned':>8}{'ok':>8}{'not found':>10}{'skipped':>9}{'errors':>8}"
        f"{'requests':>10}{'up to date':>12}"
    )
    for s in summary.sources:
        lines.append(
            f"{s.source:<16}{s.total:>8}{s.ok:>8}{s.not_found:>10}{s.skipped:>9}{s.errors:>8}"
            f"{s.requests:>10}{summary.up_to_date.get(s.source, 0):>12}"
        )
    for source in sorted(set(summary.up_to_date) - {s.source for s in summary.sources}):
        lines.append(f"{source:<16}{0:>8}{'':>43}{summary.up_to_date[source]:>12}")
    down = summary.failed_sources
    if down:
        lines.append(
            f"Unreachable this run: {', '.join(down)} (recorded as errors; rerun to retry)."
        )
    for source, messages in summary.failures.items():
        for message in messages:
            lines.append(f"  {source}: {message}")
    if summary.cancelled:
        lines.append("Run the same command again to fetch the rest.")
    return "\n".join(lines)
