"""Progress and outcome of a fetch run, as values the CLI and the pages both render."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from lib.vocabulary import SOURCES


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
        known = [e for e in etas if e is not None]
        return None if len(known) < len(etas) else max(known, default=0.0)


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
        """Sources that were asked and answered no lookup at all (every one an error)."""
        return [
            s.source
            for s in self.sources
            if s.errors and not (s.ok or s.not_found) and s.errors + s.skipped == s.done
        ]

    @property
    def succeeded(self) -> bool:
        """False when a requested source answered nothing: 0 of N is a failure, not a finish."""
        return not self.failed_sources

    @property
    def exit_code(self) -> int:
        """1 when some requested source answered no lookup (offline, DNS, refused, ...); failures
        of single works are recorded per work and retried by the next run, so they exit 0."""
        return 0 if self.succeeded or self.cancelled else 1


# What a transport message means, in words a person can act on (first match wins).
_CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "name or service not known",
            "temporary failure in name resolution",
            "nodename nor",
            "getaddrinfo",
            "no address associated",
        ),
        "DNS lookup failed (offline, or a wrong host name)",
    ),
    (("network is unreachable", "errno 101", "no route to host"), "offline (network unreachable)"),
    (
        # anyio's wording when every address refused (or could not be reached)
        ("connection refused", "errno 111", "all connection attempts failed"),
        "connection refused (nothing answered at that address)",
    ),
    (("timed out", "timeout"), "timed out"),
    (("ssl", "certificate"), "secure connection failed (TLS/certificate)"),
    (("connection reset", "remoteprotocolerror", "server disconnected"), "connection dropped"),
)


def cause_in_words(message: str) -> str:
    """`connection failed: ConnectError: [Errno 111] Connection refused` -> "connection refused".

    HTTP statuses ("HTTP 503 Service Unavailable") and readable messages are kept as they are.
    """
    text = (message or "").lower()
    if text.startswith("http "):
        return message
    for needles, words in _CAUSES:
        if any(n in text for n in needles):
            return words
    if text.startswith("connection failed"):
        return "could not connect (" + message.split(":", 1)[-1].strip()[:80] + ")"
    return message


def source_name(source: str) -> str:
    """The source's name as people know it ("OpenAlex", "NIH iCite"), not its id."""
    return SOURCES[source].label if source in SOURCES else source


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
    counts: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    messages: Counter[str] = field(default_factory=Counter)
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


def _headline(summary: FetchSummary) -> str:
    if summary.cancelled:
        return "Fetch cancelled; what was fetched is kept."
    if summary.failed_sources:
        names = ", ".join(source_name(s) for s in summary.failed_sources)
        return f"Fetch FAILED: no lookup succeeded for {names}."
    return "Fetch finished."


def failure_lines(summary: FetchSummary) -> list[str]:
    """Per source, why lookups failed, in words ("OpenAlex: timed out (12 works)")."""
    lines = []
    for source, messages in summary.failures.items():
        causes: Counter[str] = Counter()
        for message in messages:
            text, _, count = message.rpartition(" (")
            works = int(count.split()[0]) if count[:1].isdigit() else 1
            causes[cause_in_words(text or message)] += works
        for cause, works in causes.most_common():
            lines.append(f"{source_name(source)}: {cause} ({works:,} works)")
    return lines


def format_summary(summary: FetchSummary) -> str:
    """A table of outcomes per source, then the failures in words."""
    lines = [f"{_headline(summary)} {summary.works} works in {_duration(summary.elapsed)}."]
    if not summary.sources:
        lines.append("Nothing to fetch: every work is up to date for the chosen sources.")
    lines.append(
        f"{'source':<20}{'planned':>8}{'ok':>8}{'not found':>10}{'skipped':>9}{'errors':>8}"
        f"{'requests':>10}{'up to date':>12}"
    )
    for s in summary.sources:
        lines.append(
            f"{source_name(s.source):<20}{s.total:>8}{s.ok:>8}{s.not_found:>10}{s.skipped:>9}"
            f"{s.errors:>8}{s.requests:>10}{summary.up_to_date.get(s.source, 0):>12}"
        )
    for source in sorted(set(summary.up_to_date) - {s.source for s in summary.sources}):
        lines.append(f"{source_name(source):<20}{0:>8}{'':>43}{summary.up_to_date[source]:>12}")
    if summary.failed_sources:
        names = ", ".join(source_name(s) for s in summary.failed_sources)
        lines.append(f"Unreachable this run: {names} (recorded as errors; rerun to retry).")
    lines += [f"  {line}" for line in failure_lines(summary)]
    if summary.cancelled:
        lines.append("Run the same command again to fetch the rest.")
    return "\n".join(lines)
