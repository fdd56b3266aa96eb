"""The one transport: rate limits, bounded concurrency, retries with backoff, key redaction.

Every web request of the project goes through `Transport.send`, which never raises for a failed
request: the final outcome (a response, or no response and why) comes back as an `HttpResult`, so a
bad batch is recorded per work instead of losing the run. Secrets never leave this module in
clear text: `redact` (lib/sources/redaction.py) is applied to every request description and error
message it produces.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from importlib import metadata

import httpx
from aiolimiter import AsyncLimiter

from lib.settings import Settings
from lib.sources._common import decode_json
from lib.sources.base import ApiRequest
from lib.sources.budgets import Budget, quota_exhausted, read_budget
from lib.sources.redaction import guard_http_logs, redact, redact_secrets

log = logging.getLogger("triangulate.http")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# Connections per source, sized so latency does not bound throughput (rate x latency): OpenAlex
# allows 100 req/s, so 10 connections keep it busy up to 100 ms a call and its rate limiter does
# the rest; Crossref asks for few concurrent connections; the others tolerate the fallback.
DEFAULT_SOURCE_CONCURRENCY: dict[str, int] = {
    "openalex": 10,
    "crossref": 3,
    "altmetric": 2,
    "semanticscholar": 2,
}
FALLBACK_SOURCE_CONCURRENCY = 4
# Sources that answer plain text, not JSON (NCBI ECitMatch's citation lines): no JSON check.
TEXT_SOURCES = frozenset({"ecitmatch"})


def describe(request: ApiRequest, settings: Settings) -> str:
    """Method, full URL and (for POST) the JSON body, redacted: what `raw.request` stores."""
    url = str(httpx.URL(request.url, params=list(request.params)))
    text = f"{request.method} {url}"
    if request.json is not None:
        text += "\n" + json.dumps(request.json, separators=(",", ":"))
    return redact(text, settings)


def user_agent(settings: Settings) -> str:
    try:
        version = metadata.version("triangulate")
    except metadata.PackageNotFoundError:
        version = "0"
    return f"Triangulate/{version}" + (f" (mailto:{settings.mailto})" if settings.mailto else "")


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def error_text_of(body: str | None) -> str:
    """The `error`/`message` text of a JSON error body, else its first words."""
    try:
        value = json.loads(body or "")
    except ValueError:
        return " ".join((body or "")[:80].split())
    if isinstance(value, dict):
        for name in ("message", "error", "detail"):
            if isinstance(value.get(name), str) and value[name]:
                return str(value[name])
    return ""


def is_slow_down(source: str, status: int, body: str) -> bool:
    """OpenAlex answers 403 "Rate limit exceeded; slow down" when throttling."""
    text = body[:500].lower()
    return status == 403 and ("slow down" in text or "rate limit" in text)


def body_is_broken(response: httpx.Response, body: str) -> str | None:
    """Why a 200 body cannot be what a JSON API meant to send (None when it looks fine)."""
    if response.status_code != 200:
        return None
    stripped = body.lstrip()
    if not stripped:
        return "empty body"
    if stripped[0] not in "{[":
        kind = "an HTML page" if stripped[:1] == "<" else "not JSON"
        return f"status 200 but the body is {kind}"
    _, problem = decode_json(body)  # decoded once: the parser reuses this decode
    return problem.replace("malformed or truncated JSON", "malformed JSON", 1) if problem else None


@dataclass(frozen=True)
class HttpResult:
    """The final outcome of one request after retries."""

    request: ApiRequest
    status: int | None  # None when no response arrived at all
    body: str | None
    message: str  # redacted; empty on success
    attempts: int
    elapsed: float
    description: str  # redacted method + URL

    @property
    def failed(self) -> bool:
        """True when retries ran out: no response, a throttle/server status or a broken body."""
        return self.status is None or self.status in RETRY_STATUSES or bool(self.message)


@dataclass
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a longer Retry-After (a daily quota) ends the request
    # After this many attempts in a row failed (throttling aside), the source counts as down
    # for the rest of the run: its remaining requests fail at once instead of each retrying.
    breaker: int = 10

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with full jitter around the nominal delay."""
        nominal = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return float(nominal * (0.5 + rng()))


@dataclass
class _Gate:
    limiter: AsyncLimiter
    semaphore: asyncio.Semaphore
    rate: float = 1.0
    resume_at: float = 0.0  # a Retry-After pauses the whole source, not one request
    failures_in_row: int = 0
    last_failure: str = ""
    stopped: str = ""  # why this source sends nothing more this run (a spent daily quota)


@dataclass
class Transport:
    """Sends `ApiRequest`s with per-source rate limits and retries; use as an async context."""

    settings: Settings
    transport: httpx.AsyncBaseTransport | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.time
    rng: Callable[[], float] = random.random
    source_concurrency: dict[str, int] = field(
        default_factory=lambda: dict(DEFAULT_SOURCE_CONCURRENCY)
    )

    def __post_init__(self) -> None:
        self._gates: dict[str, _Gate] = {}
        self._global = asyncio.Semaphore(max(1, self.settings.max_concurrency))
        self._client: httpx.AsyncClient | None = None
        self.requests_sent: dict[str, int] = {}
        self.budgets: dict[str, Budget] = {}  # the last budget each source reported

    async def __aenter__(self) -> Transport:
        guard_http_logs(self.settings)
        limit = max(1, self.settings.max_concurrency)
        self._client = httpx.AsyncClient(
            transport=self.transport,
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            headers={"User-Agent": user_agent(self.settings), "Accept": "application/json"},
            limits=httpx.Limits(max_connections=limit * 2, max_keepalive_connections=limit * 2),
            follow_redirects=True,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _gate(self, source: str) -> _Gate:
        gate = self._gates.get(source)
        if gate is None:
            rate = float(self.settings.rates.get(source, 1.0)) or 1.0
            # aiolimiter needs capacity >= 1; a rate below 1/s becomes 1 per 1/rate seconds.
            capacity = max(1.0, rate)
            concurrency = self.source_concurrency.get(source, FALLBACK_SOURCE_CONCURRENCY)
            gate = _Gate(
                AsyncLimiter(capacity, capacity / rate), asyncio.Semaphore(concurrency), rate
            )
            self._gates[source] = gate
        return gate

    async def send(self, request: ApiRequest) -> HttpResult:
        """Send with retries; the outcome is a value, never an exception."""
        description = describe(request, self.settings)
        started = time.monotonic()
        gate = self._gate(request.source)
        status: int | None = None
        body: str | None = None
        message = ""
        attempts = 0
        while attempts < self.retry.attempts:
            await self._wait_for_resume(gate)
            async with gate.semaphore, self._global:
                if gate.stopped or self._tripped(gate):
                    return self._not_sent(request, gate, description, started, attempts)
                await gate.limiter.acquire()
                attempts += 1
                self.requests_sent[request.source] = self.requests_sent.get(request.source, 0) + 1
                status, body, message, wait, headers = await self._attempt(request)
            budget = self._note_budget(request.source, gate, headers)
            self._count(gate, status, message, wait)
            if status is not None and quota_exhausted(
                status, body or "", budget, wait, self.retry.max_retry_after
            ):
                message = self._stop(request.source, gate, message, body, wait, budget)
                break
            if wait is None and budget is not None and budget.exhausted:
                self._stop(request.source, gate, "the last answer left no budget", "", None, budget)
            if wait is None or attempts == self.retry.attempts:
                break
            if wait > self.retry.max_retry_after:  # a long pause of a server error: same end
                message = self._stop(request.source, gate, message, body, wait, budget)
                break
            if wait > 0:
                gate.resume_at = max(gate.resume_at, self.clock() + wait)
            delay = max(wait, self.retry.backoff(attempts, self.rng))
            log.info(
                "%s attempt %d: %s; retrying in %.2f s",
                request.source,
                attempts,
                redact(message, self.settings),
                delay,
            )
            await self.sleep(delay)
        if message and message != gate.stopped:
            plural = "s" if attempts > 1 else ""
            message = redact(f"{message} (after {attempts} attempt{plural})", self.settings)
            log.warning("%s: %s: %s", request.source, description, message)
        return HttpResult(
            request=request,
            status=status,
            body=redact_secrets(body, self.settings),
            message=message,
            attempts=attempts,
            elapsed=time.monotonic() - started,
            description=description,
        )

    def _note_budget(
        self, source: str, gate: _Gate, headers: httpx.Headers | None
    ) -> Budget | None:
        """Keep the budget the answer reports, and slow down to the pace it asks for."""
        budget = read_budget(source, headers or {})
        if budget is None:
            return None
        self.budgets[source] = budget
        if budget.per_second and budget.per_second < gate.rate:
            gate.rate = budget.per_second
            capacity = max(1.0, gate.rate)
            gate.limiter = AsyncLimiter(capacity, capacity / gate.rate)
        return budget

    def _stop(
        self,
        source: str,
        gate: _Gate,
        message: str,
        body: str | None,
        wait: float | None,
        budget: Budget | None,
    ) -> str:
        """Stop the source for the rest of the run with one clear line; returns that line."""
        if gate.stopped:
            return gate.stopped  # one line for the run, whichever request saw it first
        said = error_text_of(body) or message
        when = f"; the server asked to wait {wait:.0f} s" if wait else ""
        left = f"; budget: {budget.describe()}" if budget else ""
        sent = self.requests_sent.get(source, 0)
        gate.stopped = redact(
            f"{source} stopped for this run: daily quota or budget exhausted ({said}{when}{left}) "
            f"after {sent} request{'s' if sent != 1 else ''}",
            self.settings,
        )
        log.warning("%s", gate.stopped)
        return gate.stopped

    def _count(self, gate: _Gate, status: int | None, message: str, wait: float | None) -> None:
        if wait is None:
            gate.failures_in_row = 0
        elif status not in (429, 403):  # a throttling server is up; Retry-After governs it
            gate.failures_in_row += 1
            gate.last_failure = redact(message, self.settings)

    def _tripped(self, gate: _Gate) -> bool:
        return bool(self.retry.breaker) and gate.failures_in_row >= self.retry.breaker

    def _not_sent(
        self, request: ApiRequest, gate: _Gate, description: str, started: float, attempts: int
    ) -> HttpResult:
        message = gate.stopped or (
            f"not sent: {request.source} failed {gate.failures_in_row} attempts in a row "
            f"this run (last: {gate.last_failure})"
        )  # fmt: skip
        return HttpResult(
            request, None, None, message, attempts, time.monotonic() - started, description
        )

    async def _wait_for_resume(self, gate: _Gate) -> None:
        while (pause := gate.resume_at - self.clock()) > 0:
            await self.sleep(pause)

    async def _attempt(
        self, request: ApiRequest
    ) -> tuple[int | None, str | None, str, float | None, httpx.Headers | None]:
        """One try: (status, body, problem, wait, headers); wait is None when no retry is due."""
        assert self._client is not None, "use Transport as an async context manager"
        try:
            response = await self._client.request(
                request.method,
                request.url,
                params=list(request.params) or None,
                headers=dict(request.headers),
                json=request.json,
            )
            body = response.text
        except httpx.TimeoutException as error:
            return None, None, f"timed out ({type(error).__name__})", 0.0, None
        except httpx.HTTPError as error:
            return None, None, f"connection failed: {type(error).__name__}: {error}", 0.0, None
        status, headers = response.status_code, response.headers
        if status in RETRY_STATUSES or is_slow_down(request.source, status, body):
            wait = retry_after_seconds(response.headers.get("Retry-After"), self.clock())
            reason = response.reason_phrase or "error"
            return status, body, f"HTTP {status} {reason}", wait or 0.0, headers
        broken = None if request.source in TEXT_SOURCES else body_is_broken(response, body)
        if broken:
            return status, body, broken, 0.0, headers
        return status, body, "", None, headers
