"""A local stand-in for every web API, over real HTTP on a loopback port (a test fixture).

Bodies follow the shapes of the real ones in `shared/fixtures/api/`; values are derived from a hash
of the requested identifier, so any id gets a stable answer. Per-source switches (`Behaviour`)
inject latency, throttling, server errors, timeouts, broken bodies, reordering, missing and
duplicated records. Every request is recorded, with the ids it asked about.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.mock_catalogue import Catalogue, CatalogueWork
from tests.mock_payloads import Payloads
from tests.mock_records import (
    cites,
    pmid_for_doi,
    stable,
)
from tests.mock_requests import ids_europepmc, ids_openalex, ids_s2, strip_doi

__all__ = [
    "SOURCES",
    "Behaviour",
    "Catalogue",
    "CatalogueWork",
    "MockApi",
    "cites",
    "pmid_for_doi",
    "stable",
]

SOURCES = (
    "openalex",
    "icite",
    "crossref",
    "europepmc",
    "semanticscholar",
    "altmetric",
    "orcid",
    "wikipedia",
    "ecitmatch",
)


@dataclass
class Behaviour:
    """Switches for one source; counters like `*_first` apply to that source's first N requests."""

    latency: float = 0.0
    down: bool = False  # every request answered 503
    error_first: int = 0  # first N requests answered `error_status`
    error_rate: float = 0.0  # a fraction of requests answered `error_status`
    error_status: int = 503
    rate_limit: int | None = None  # requests allowed per window, then 429
    rate_window: float = 1.0
    retry_after: str | None = "1"  # Retry-After sent with 429 (None: header omitted)
    slowdown_first: int = 0  # OpenAlex-style 403 "slow down"
    echo_status: int | None = None  # answer every request with this status, echoing its URL
    timeout_first: int = 0  # first N requests sleep `timeout_sleep` before answering
    timeout_sleep: float = 2.0
    truncate_first: int = 0
    truncate_rate: float = 0.0
    html_first: int = 0  # 200 with an HTML error page
    html_rate: float = 0.0
    shuffle: bool = False  # results in reverse order
    missing: frozenset[str] = frozenset()  # ids the source does not know
    missing_fraction: float = 0.0
    duplicate: bool = False  # every record twice
    doi_case: str = "lower"  # "upper": DOIs come back upper-cased
    doi_trailing: str = ""  # appended to every DOI in answers (e.g. "." as some records have)
    pmid_fraction: float = 0.8  # share of DOIs that resolve to a PMID
    wiki_page_limit: int = 500  # exturlusage links per page before `continue`
    # OpenAlex: share of works with a second, less-cited record, sent BEFORE the real one
    oa_duplicates: float = 0.0
    epmc_page_limit: int = 1000  # Europe PMC records per page
    epmc_no_doi: float = 0.0  # share of Europe PMC records that lack their DOI
    drop_field: str | None = None  # "format changed": this key removed from every answer
    daily_quota: int | None = None  # after N requests: 429 "Daily limit exceeded", no Retry-After
    crossref_rate: int = 50  # what Crossref's x-rate-limit-limit header says (per 1s)
    s2_wrong_paper: frozenset[str] = frozenset()  # DOIs Semantic Scholar answers with another paper
    # (published DOI, preprint DOI): Crossref records carry has-preprint / is-preprint-of
    preprints: tuple[tuple[str, str], ...] = ()


@dataclass
class Seen:
    source: str
    method: str
    path: str
    query: str
    ids: list[str]
    status: int
    at: float
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class MockState:
    behaviour: dict[str, Behaviour] = field(
        default_factory=lambda: {s: Behaviour() for s in SOURCES}
    )
    seen: list[Seen] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)
    pmid_to_doi: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    catalogue: Catalogue = field(default_factory=Catalogue)  # for the search endpoints


def _without(value: Any, name: str) -> Any:
    """The JSON value with every `name` key removed, at any depth (a provider's format change)."""
    if isinstance(value, dict):
        return {k: _without(v, name) for k, v in value.items() if k != name}
    if isinstance(value, list):
        return [_without(v, name) for v in value]
    return value


def budget_headers(source: str, n: int, b: Behaviour) -> dict[str, str]:
    """The budget headers each service sends (apis.md §1.3, §4.2, §3; §12.3 for OpenAlex 2026)."""
    left = max(0, (b.daily_quota if b.daily_quota is not None else 10_000) - n)
    if source == "openalex":
        return {
            "x-ratelimit-limit-usd": "1.0",
            "x-ratelimit-remaining-usd": f"{left * 0.0001:.4f}",
            "x-ratelimit-cost-usd": "0.0001",
            "x-ratelimit-reset": "3600",
            "ratelimit-limit": "100",
            "ratelimit-remaining": "99",
            "ratelimit-reset": "1",
        }
    if source == "crossref":
        return {"x-rate-limit-limit": str(b.crossref_rate), "x-rate-limit-interval": "1s"}
    if source == "altmetric":
        total = b.daily_quota if b.daily_quota is not None else 10_000
        return {
            "X-DailyRateLimit-Limit": str(total),
            "X-DailyRateLimit-Remaining": str(left),
            "X-HourlyRateLimit-Limit": "3600",
            "X-HourlyRateLimit-Remaining": "3000",
        }
    return {}


# ---------------------------------------------------------------- the server


class MockApi:
    """A running mock server: `url(source)`, `environ()`, `behave(source, **switches)`, records."""

    def __init__(self) -> None:
        self.state = MockState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, source: str) -> str:
        return f"{self.base}/{source}"

    def environ(self) -> dict[str, str]:
        """TRIANGULATE_<SOURCE>_URL for every source, pointing here."""
        return {f"TRIANGULATE_{s.upper()}_URL": self.url(s) for s in SOURCES}

    def behave(self, source: str, **switches: Any) -> Behaviour:
        with self.state.lock:
            current = self.state.behaviour[source]
            for name, value in switches.items():
                if not hasattr(current, name):
                    raise AttributeError(f"no switch {name!r}")
                setattr(current, name, value)
        return current

    @property
    def catalogue(self) -> Catalogue:
        """Works (and authors) the search endpoints find: `mock_api.catalogue.add([...])`."""
        return self.state.catalogue

    def requests(self, source: str | None = None) -> list[Seen]:
        with self.state.lock:
            return [s for s in self.state.seen if source is None or s.source == source]

    def id_counts(self, source: str) -> Counter:
        """How many requests asked about each id (only requests that got an answer of any kind)."""
        return Counter(i for s in self.requests(source) for i in s.ids)

    def reset_counts(self) -> None:
        with self.state.lock:
            self.state.seen.clear()
            self.state.counts.clear()
            self.state.windows.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: MockState

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET", None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve("POST", self.rfile.read(length) if length else b"")

    def _serve(self, method: str, payload: bytes | None) -> None:
        parts = urlsplit(self.path)
        segments = parts.path.strip("/").split("/", 1)
        source, rest = segments[0], (segments[1] if len(segments) > 1 else "")
        query = parse_qs(parts.query, keep_blank_values=True)
        if source not in SOURCES:
            return self._send(404, "text/plain", b"unknown source")
        state = self.state
        b = state.behaviour[source]
        with state.lock:
            state.counts[source] += 1
            n = state.counts[source]
            throttled = self._throttled(source, b)
            roll = state.rng.random()
        ids = self._ids(source, rest, query, payload)
        if b.latency:
            time.sleep(b.latency)
        if b.daily_quota is not None and n > b.daily_quota:
            body_quota = b'{"error":"Daily limit exceeded","message":"Daily limit exceeded"}'
            status, ctype, body, headers = 429, "application/json", body_quota, {}
        else:
            status, ctype, body, headers = self._answer(
                source, rest, query, payload, b, n, throttled, roll
            )
        headers = {**budget_headers(source, n, b), **headers}
        with state.lock:
            state.seen.append(
                Seen(
                    source,
                    method,
                    parts.path,
                    parts.query,
                    [i for _, i in ids if i],
                    status,
                    time.time(),
                    dict(self.headers.items()),
                )
            )
        if b.timeout_first >= n:
            time.sleep(b.timeout_sleep)
        self._send(status, ctype, body, headers)

    def _throttled(self, source: str, b: Behaviour) -> bool:
        if b.rate_limit is None:
            return False
        now = time.monotonic()
        start, count = self.state.windows.get(source, (now, 0))
        if now - start >= b.rate_window:
            start, count = now, 0
        count += 1
        self.state.windows[source] = (start, count)
        return count > b.rate_limit

    def _ids(
        self, source: str, rest: str, query: dict, payload: bytes | None
    ) -> list[tuple[str, str]]:
        if source == "openalex":
            single = re.match(r"works/(doi|pmid):(.+)$", unquote(rest))
            if single:
                value = single[2].lower() if single[1] == "doi" else single[2]
                return [(single[1], strip_doi(value) if single[1] == "doi" else value)]
            return ids_openalex(query)
        if source == "icite":
            return [("pmid", p) for p in ",".join(query.get("pmids", [])).split(",") if p]
        if source == "crossref":
            return [
                ("doi", strip_doi(c[4:]).lower())
                for f in query.get("filter", [])
                for c in f.split(",")
                if c.startswith("doi:")
            ]
        if source == "europepmc":
            text = " ".join(query.get("query", []))
            if payload:
                text += " " + " ".join(parse_qs(payload.decode()).get("query", []))
            return ids_europepmc(text)
        if source == "semanticscholar":
            try:
                return [i for i in ids_s2(json.loads(payload or b"{}")) if i]
            except ValueError:
                return []
        if source == "wikipedia":
            query_text = ",".join(query.get("euquery", []))
            return [("doi", strip_doi(query_text.partition("doi.org/")[2]).lower())]
        if source == "altmetric":
            kind, _, value = rest.partition("/")
            return (
                [("doi", unquote(value).lower())]
                if kind == "doi"
                else [("pmid", value)]
                if kind == "pmid"
                else []
            )
        return []

    def _answer(
        self, source, rest, query, payload, b: Behaviour, n: int, throttled: bool, roll: float
    ):
        if b.down:
            return (
                503,
                "text/html",
                b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                {},
            )
        if b.echo_status is not None:  # as 401/403 pages do: "invalid key for /v1/doi/...?key=..."
            echoed = json.dumps({"error": "invalid key", "request": self.path}).encode()
            return b.echo_status, "application/json", echoed, {}
        if throttled:
            headers = {"Retry-After": b.retry_after} if b.retry_after is not None else {}
            return 429, "application/json", b'{"message":"Too Many Requests"}', headers
        if b.slowdown_first >= n:
            return (
                403,
                "application/json",
                b'{"error":"Rate limit exceeded","message":"Rate limit exceeded; slow down"}',
                {},
            )
        if b.error_first >= n or roll < b.error_rate:
            headers = (
                {"Retry-After": b.retry_after} if b.error_status == 429 and b.retry_after else {}
            )
            return b.error_status, "text/html", b"<html><body>Internal error</body></html>", headers
        if b.html_first >= n or roll < b.html_rate:
            return (
                200,
                "text/html",
                b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>Back soon</body></html>",
                {},
            )
        status, payload_out = Payloads(self.state, self._ids).payload(
            source, rest, query, payload, b
        )
        if source == "ecitmatch":
            return status, "text/plain", str(payload_out).encode(), {}
        if b.drop_field:
            payload_out = _without(payload_out, b.drop_field)
        body = json.dumps(payload_out).encode()
        if status == 200 and (b.truncate_first >= n or roll < b.truncate_rate):
            body = body[: max(1, len(body) // 2)]
        return status, "application/json", body, {}

    def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main() -> None:
    """Serve the mock in its own process (for benchmarks): prints the base URL, runs until killed."""
    import argparse

    parser = argparse.ArgumentParser(description="mock web APIs on a loopback port")
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    api = MockApi()
    for source in SOURCES:
        api.behave(source, latency=args.latency)
    print(api.base, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
