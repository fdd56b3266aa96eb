"""What a response's headers say about the source's budget: how much is left, and how fast to go.

Pure: headers in, a `Budget` out. The headers each service documents (apis.md):

- OpenAlex: `X-RateLimit-Limit-USD` / `-Remaining-USD` / `-Cost-USD` and `X-RateLimit-Reset`
  (seconds) for the daily dollar budget; older credit-era `X-RateLimit-Limit` / `-Remaining`
  (requests per day); a per-second window `RateLimit-Limit` / `-Remaining` / `-Reset`.
- Crossref: `x-rate-limit-limit` requests per `x-rate-limit-interval` ("1s").
- Altmetric: `X-HourlyRateLimit-Limit` / `-Remaining`, `X-DailyRateLimit-Limit` / `-Remaining`.

A 429 is a daily quota (stop the source for the run) rather than a short throttle (wait and retry)
when the budget it carries is spent, when its body says so ("Daily limit exceeded"), or when its
Retry-After is longer than a run should wait.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """A source's budget as its last response reported it (None: not reported)."""

    source: str
    remaining: float | None = None
    limit: float | None = None
    unit: str = ""  # "USD per day", "requests per day", "requests per hour"
    reset_seconds: float | None = None
    per_second: float | None = None  # the pace the service asks for

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0

    def describe(self) -> str:
        """One line: what is left of what, and the pace."""
        parts = []
        if self.remaining is not None:
            of = f" of {self.limit:g}" if self.limit is not None else ""
            parts.append(f"{self.remaining:g}{of} {self.unit} left".strip())
        if self.reset_seconds is not None:
            parts.append(f"resets in {self.reset_seconds:.0f} s")
        if self.per_second is not None:
            parts.append(f"at most {self.per_second:g} requests/s")
        return "; ".join(parts) or "no budget reported"


def _number(headers: Mapping[str, str], name: str) -> float | None:
    value = headers.get(name)
    if value is None:
        return None
    match = re.match(r"\s*(-?\d+(?:\.\d+)?)", value)
    return float(match.group(1)) if match else None


def _interval_seconds(value: str | None) -> float | None:
    """Crossref's interval, "1s" (always seconds, per its README), as a number."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$", value or "")
    if not match:
        return None
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[match.group(2)]
    return float(match.group(1)) * scale


def _openalex(h: Mapping[str, str]) -> Budget:
    window = _number(h, "ratelimit-limit")
    window_reset = _number(h, "ratelimit-reset") or 1.0
    pace = window / window_reset if window else None
    if "x-ratelimit-remaining-usd" in h or "x-ratelimit-limit-usd" in h:
        return Budget(
            "openalex",
            remaining=_number(h, "x-ratelimit-remaining-usd"),
            limit=_number(h, "x-ratelimit-limit-usd"),
            unit="USD per day",
            reset_seconds=_number(h, "x-ratelimit-reset"),
            per_second=pace,
        )
    return Budget(
        "openalex",
        remaining=_number(h, "x-ratelimit-remaining"),
        limit=_number(h, "x-ratelimit-limit"),
        unit="requests per day" if "x-ratelimit-remaining" in h else "",
        reset_seconds=_number(h, "x-ratelimit-reset"),
        per_second=pace,
    )


def _crossref(h: Mapping[str, str]) -> Budget:
    limit, interval = (
        _number(h, "x-rate-limit-limit"),
        _interval_seconds(h.get("x-rate-limit-interval")),
    )
    return Budget("crossref", per_second=limit / interval if limit and interval else None)


def _altmetric(h: Mapping[str, str]) -> Budget:
    daily = _number(h, "x-dailyratelimit-remaining")
    hourly = _number(h, "x-hourlyratelimit-remaining")
    if hourly is not None and (daily is None or hourly <= 0):
        return Budget(
            "altmetric", hourly, _number(h, "x-hourlyratelimit-limit"), "requests per hour"
        )
    return Budget(
        "altmetric",
        daily,
        _number(h, "x-dailyratelimit-limit"),
        "requests per day" if daily is not None else "",
    )


_READERS = {"openalex": _openalex, "crossref": _crossref, "altmetric": _altmetric}


def read_budget(source: str, headers: Mapping[str, str]) -> Budget | None:
    """The budget a response reports (None when the source reports none or sent no header)."""
    reader = _READERS.get(source)
    if reader is None:
        return None
    budget = reader({k.lower(): v for k, v in headers.items()})
    reported = (budget.remaining, budget.limit, budget.per_second)
    return budget if any(v is not None for v in reported) else None


def quota_exhausted(
    status: int, body: str, budget: Budget | None, retry_after: float | None, longest_wait: float
) -> bool:
    """Whether a throttling answer means "no more today" rather than "slow down"."""
    if status not in (429, 420):  # 420: Altmetric's older clients' throttle status
        return False
    text = body[:500].lower()
    if any(word in text for word in ("daily limit", "daily quota", "budget", "quota exceeded")):
        return True
    if retry_after is not None and retry_after > longest_wait:
        return True
    return bool(budget and budget.exhausted)
