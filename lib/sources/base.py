"""The shape every web source module shares (sans-I/O, in the manner of gidgethub).

A source module is pure: `build_requests` turns the works to look up into `ApiRequest`s, and
`parse_response` turns one response body back into a `WorkResult` for EVERY key that request asked
about (ok, not_found or error), so nothing asked is ever silently dropped.

Paged answers (OpenAlex cursors, Europe PMC cursorMark, MediaWiki `continue`): a module may also
define `next_request(pages) -> ApiRequest | None`, the request for the rest of the answer given
the pages so far, and `parse_pages(pages) -> list[WorkResult]`, which reads all pages of one answer
together. The fetcher sends the chain to its end before anything is stored, so a first page is
never stored as if it were the whole answer. `lib/sources/transport.py` sends the
requests (rate limits, retries, redaction) and `lib/ingest/` stores the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from lib.settings import Settings

Status = Literal["ok", "not_found", "error", "skipped"]


@dataclass(frozen=True)
class WorkIds:
    """The identifiers of one cached work that a source may look it up by."""

    key: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    arxiv: str | None = None
    openalex: str | None = None


@dataclass(frozen=True)
class ApiRequest:
    source: str
    method: Literal["GET", "POST"]
    url: str  # base URL (possibly overridden, possibly with a path prefix) + documented path
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    json: Any = None
    keys: tuple[str, ...] = ()  # the work keys this request asks about
    lookup: tuple[
        tuple[str, str], ...
    ] = ()  # (identifier as sent, work key), to match results back


@dataclass(frozen=True)
class Page:
    """One page of a paged answer: the request that was sent and what came back."""

    request: ApiRequest
    http_status: int
    body: str


@dataclass(frozen=True)
class Mention:
    """One place that mentions a work (a Wikipedia article linking its DOI), kept to be shown."""

    title: str
    url: str
    link: str = ""  # the link as the page stores it


@dataclass
class WorkResult:
    key: str
    status: Status
    metrics: dict[str, float | None] = field(default_factory=dict)  # canonical names only
    per_year: dict[str, dict[int, float]] = field(default_factory=dict)  # metric -> {year: value}
    work: dict[str, Any] = field(
        default_factory=dict
    )  # metadata and identifiers for the work table
    message: str = ""
    http_status: int | None = None
    mentions: list[Mention] = field(default_factory=list)


class SourceModule(Protocol):
    NAME: str

    def build_requests(
        self, works: list[WorkIds], settings: Settings
    ) -> tuple[list[ApiRequest], list[WorkResult]]:
        """Requests for the works this source can look up, and `skipped` results for the rest."""
        ...

    def parse_response(self, request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
        """One WorkResult per key in request.keys."""
        ...
