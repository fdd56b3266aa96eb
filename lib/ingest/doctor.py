"""`triangulate doctor`: a live check of every web source, one request for a well-known work each.

For each source: is it configured (a key where one is needed), does it answer, is the key
accepted, is every field we read present with the type we read it as, what budget is left and how
long it took. This is how a user notices that a provider changed its format before the numbers go
wrong: a missing or retyped field is reported by name, even when the parser would have carried on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from lib.ingest.plan import WORK_SOURCES, source_module
from lib.settings import Settings
from lib.sources._common import decode_json, dig
from lib.sources.base import WorkIds
from lib.sources.transport import RetryPolicy, Transport, error_text_of
from lib.vocabulary import SOURCES

# "The state of OA" (Piwowar et al. 2018, PeerJ): known to every source, in Wikipedia articles.
WELL_KNOWN = WorkIds("10.7717/peerj.4375", doi="10.7717/peerj.4375", pmid="29456894")

Outcome = Literal["works", "no key", "key refused", "format changed", "unreachable", "error"]
BROKEN: frozenset[str] = frozenset({"key refused", "format changed", "unreachable", "error"})

# Expected JSON types: "int" (not bool), "number", "str", "list", "dict"; "?" = may be null.
FieldSpec = tuple[str, str]
_RECORDS: dict[str, Callable[[Any], Any]] = {
    "openalex": lambda v: dig(v, "results", 0) if isinstance(dig(v, "results"), list) else v,
    "icite": lambda v: dig(v, "data", 0),
    "crossref": lambda v: dig(v, "message", "items", 0),
    "europepmc": lambda v: dig(v, "resultList", "result", 0),
    "semanticscholar": lambda v: dig(v, 0),
    "altmetric": lambda v: v,
    "wikipedia": lambda v: dig(v, "query"),
}
# The fields each parser reads (lib/sources/<name>.py), with the type it reads them as.
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "openalex": (
        ("id", "str"),
        ("doi", "str?"),
        ("ids", "dict"),
        ("cited_by_count", "int"),
        ("counts_by_year", "list"),
        ("fwci", "number?"),
        ("citation_normalized_percentile", "dict?"),
        ("publication_year", "int?"),
        ("open_access", "dict?"),
    ),
    "icite": (
        ("pmid", "int"),
        ("citation_count", "int"),
        ("relative_citation_ratio", "number?"),
        ("nih_percentile", "number?"),
        ("apt", "number?"),
    ),
    "crossref": (("DOI", "str"), ("is-referenced-by-count", "int")),
    "europepmc": (("source", "str"), ("citedByCount", "int")),
    "semanticscholar": (("externalIds", "dict"), ("citationCount", "int")),
    "altmetric": (("altmetric_id", "int"), ("score", "number")),
    "wikipedia": (("exturlusage", "list"),),
}


@dataclass(frozen=True)
class SourceCheck:
    source: str
    outcome: Outcome
    detail: str
    budget: str
    seconds: float | None
    http_status: int | None = None

    @property
    def broken(self) -> bool:
        return self.outcome in BROKEN

    def line(self) -> str:
        """One clear line for the terminal."""
        took = f"{self.seconds:.2f} s" if self.seconds is not None else "-"
        label = SOURCES[self.source].label
        return f"{label:<17} {self.outcome:<15} {self.detail}; budget: {self.budget}; {took}"


def _type_ok(value: object, expected: str) -> bool:
    kind = expected.rstrip("?")
    if value is None:
        return expected.endswith("?")
    checks: dict[str, Callable[[object], bool]] = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, dict),
    }
    return checks[kind](value)


def format_problems(source: str, body: str) -> list[str]:
    """Each field we read that the body lacks or carries with another type (empty: all fine)."""
    value, problem = decode_json(body)
    if problem:
        return [problem]
    record = _RECORDS[source](value)
    if not isinstance(record, dict):
        return ["no record in the answer (the well-known work was not returned)"]
    problems = []
    for name, expected in FIELDS[source]:
        if name not in record:
            problems.append(f"field {name} missing")
        elif not _type_ok(record[name], expected):
            problems.append(f"field {name} is {type(record[name]).__name__}, expected {expected}")
    return problems


def _judge(source: str, status: int | None, body: str, message: str) -> tuple[Outcome, str]:
    if status is None:
        return "unreachable", message or "no answer"
    if status in (401, 403) and "slow down" not in body.lower():
        return "key refused", f"HTTP {status}: {error_text_of(body) or 'refused'}"
    if status >= 400 or message:
        return "error", message or f"HTTP {status}: {error_text_of(body)}"
    problems = format_problems(source, body)
    if problems:
        return "format changed", ", ".join(problems)
    return "works", f"every field we read is present ({len(FIELDS[source])} checked)"


async def _check_all(
    sources: Sequence[str], settings: Settings, transport: httpx.AsyncBaseTransport | None
) -> list[SourceCheck]:
    async with Transport(settings, transport=transport, retry=RetryPolicy(attempts=1)) as http:

        async def check(source: str) -> SourceCheck:
            requests, skipped = source_module(source).build_requests([WELL_KNOWN], settings)
            if not requests:
                why = skipped[0].message if skipped else "nothing to ask"
                outcome: Outcome = "no key" if "key" in why.lower() else "error"
                return SourceCheck(source, outcome, why, "-", None)
            started = time.monotonic()
            result = await http.send(requests[0])
            seconds = time.monotonic() - started
            outcome, detail = _judge(source, result.status, result.body or "", result.message)
            budget = http.budgets.get(source)
            left = budget.describe() if budget else "not reported"
            return SourceCheck(source, outcome, detail, left, seconds, result.status)

        return list(await asyncio.gather(*(check(s) for s in sources)))


def check_sources(
    settings: Settings,
    sources: Sequence[str] | None = None,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[SourceCheck]:
    """One live check per web source (all of them by default), in registry order."""
    chosen = [s for s in WORK_SOURCES if s in (sources or WORK_SOURCES)]
    unknown = sorted(set(sources or ()) - set(WORK_SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s): {', '.join(unknown)}; choose from {WORK_SOURCES}")
    return asyncio.run(_check_all(chosen, settings, transport))
