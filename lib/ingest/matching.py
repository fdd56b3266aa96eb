"""References without identifiers -> candidates -> decisions -> the collection's rows.

Look each reference up (Crossref bibliographic search, OpenAlex search, and NCBI ECitMatch when the
journal, year, volume, first page and first author are known), score the candidates
(lib/matching), store them and the decision, then write the collection: matched references become
works (the reference text as the row's `input`), every other one stays as an `unmatched` row with
its reason, in input order. A lookup failure leaves its reference pending with the reason, so a
rerun resumes with just those; a reference already decided is not looked up again.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import httpx
import polars as pl

from lib import store
from lib.ingest.match_inputs import references_in_file, references_in_text
from lib.matching import Candidate, ParsedReference
from lib.matching.score import ScoredCandidate, automatic, load_model, rank_candidates
from lib.settings import Settings
from lib.sources import crossref_search, ecitmatch, openalex_search
from lib.sources.base import ApiRequest
from lib.sources.transport import Transport
from lib.store.matching import CANDIDATE_SCHEMA, REFERENCE_SCHEMA

__all__ = ["lookup_references", "references_in_file", "references_in_text", "run_matching"]

MATCH_KIND = "portfolio"
CHUNK = 20  # references looked up together; progress, cancel and storing happen between chunks
LOOKUP_FAILED = "lookup failed"
MATCHED = ("auto", "accepted")


class CollectionInUse(ValueError):
    """The name belongs to a collection that matching did not build (it would be overwritten)."""


@dataclass(frozen=True)
class MatchProgress:
    done: int
    total: int
    elapsed: float
    cancelled: bool = False

    @property
    def eta_seconds(self) -> float | None:
        if not self.done or self.done >= self.total:
            return None if self.done < self.total else 0.0
        return self.elapsed / self.done * (self.total - self.done)


@dataclass(frozen=True)
class MatchSummary:
    references: int
    skipped: dict[str, int] = field(default_factory=dict)  # lines that were not references
    counts: dict[str, int] = field(default_factory=dict)  # status -> references
    looked_up: int = 0
    cancelled: bool = False

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        parts = [f"{self.references} references"]
        parts += [f"{status} {n}" for status, n in sorted(self.counts.items()) if n]
        if skipped:
            reasons = ", ".join(f"{why} {n}" for why, n in sorted(self.skipped.items()))
            parts.append(f"skipped {skipped} lines that are not references ({reasons})")
        return ", ".join(parts) + (" (cancelled; run again to resume)" if self.cancelled else "")


def _reference_rows(refs: Sequence[ParsedReference], existing: pl.DataFrame) -> pl.DataFrame:
    """Rows to store: a reference already decided at the same place keeps its decision."""
    kept = {
        (row["position"], row["input"]): row
        for row in existing.iter_rows(named=True)
        if row["status"] != "pending"
    }
    rows = []
    for position, ref in enumerate(refs, start=1):
        if (position, ref.text) in kept:
            rows.append(kept[(position, ref.text)])
            continue
        status, reason = ("unparsed", ref.problem) if ref.problem else ("pending", None)
        rows.append(
            {"position": position, "input": ref.text, "status": status, "reason": reason}
            | {"parsed": json.dumps(asdict(ref))}
        )
    return pl.DataFrame(rows, schema=REFERENCE_SCHEMA, strict=False)


def _parsed(row: dict[str, object]) -> ParsedReference:
    data = json.loads(str(row["parsed"]))
    data["authors"] = tuple(data.get("authors") or ())
    data["problems"] = tuple(data.get("problems") or ())
    return ParsedReference(**data)


async def _send_all(
    transport: Transport, requests: list[ApiRequest]
) -> list[tuple[int | None, str | None, str]]:
    results = await asyncio.gather(*(transport.send(r) for r in requests))
    return [(r.status, r.body, r.message) for r in results]


async def _lookup(
    ref: ParsedReference, tag: str, transport: Transport, settings: Settings
) -> tuple[list[Candidate], str | None]:
    """Candidates from every lookup that answered; a reason when none could be asked or answered."""
    requests: list[ApiRequest] = [crossref_search.build_search(ref.text, settings, tag=tag)]
    parsers: list[Callable[[int, str], tuple[list[dict[str, object]], str | None]]] = [
        crossref_search.parse_search
    ]
    if ref.title:
        requests.append(openalex_search.build_search(ref.title, settings, year=ref.year, tag=tag))
        parsers.append(openalex_search.parse_search)
    citation = _citation(ref, tag)
    if citation is not None:
        requests.append(ecitmatch.build_request([citation], settings))
    answers = await _send_all(transport, requests)
    candidates: list[Candidate] = []
    problems: list[str] = []
    for parse, (status, body, message) in zip(parsers, answers, strict=False):
        if status is None or body is None or message:
            problems.append(message or f"HTTP {status}")
            continue
        rows, problem = parse(status, body)
        if problem:
            problems.append(problem)
        candidates += [Candidate.from_mapping(r) for r in rows]
    if citation is not None:
        candidates = _confirm(candidates, answers[-1], tag)
    if len(problems) == len(parsers):
        return [], f"{LOOKUP_FAILED}: " + "; ".join(problems)
    return candidates, None


def _citation(ref: ParsedReference, tag: str) -> ecitmatch.Citation | None:
    if not (ref.journal and ref.year and ref.volume and ref.first_page and ref.first_author):
        return None
    return ecitmatch.Citation(
        tag, ref.journal, ref.year, ref.volume, ref.first_page, ref.first_author
    )


def _confirm(
    candidates: list[Candidate], answer: tuple[int | None, str | None, str], tag: str
) -> list[Candidate]:
    """Mark the candidate whose PMID ECitMatch gave; a PMID no other lookup knew is its own."""
    status, body, message = answer
    if status is None or body is None or message:
        return candidates
    found, _problem = ecitmatch.parse_response(status, body)
    pmid = found.get(tag)
    if not pmid:
        return candidates
    marked = [
        Candidate(**{**asdict(c), "authors": c.authors, "confirmed_by_ecitmatch": True})
        if c.pmid == pmid
        else c
        for c in candidates
    ]
    if not any(c.pmid == pmid for c in candidates):
        marked.append(Candidate("ecitmatch", pmid=pmid, confirmed_by_ecitmatch=True))
    return marked


def lookup_references(
    refs: Sequence[ParsedReference],
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[tuple[list[Candidate], str | None]]:
    """Every reference's candidates (or why the lookup failed), without storing anything: for
    fitting the model on the labelled set (bench/fit_matching.py)."""

    async def run() -> list[tuple[list[Candidate], str | None]]:
        async with Transport(settings, transport=transport) as client:
            return list(
                await asyncio.gather(
                    *(_lookup(ref, f"ref#{i}", client, settings) for i, ref in enumerate(refs))
                )
            )

    return asyncio.run(run())


def _candidate_rows(ranked: list[ScoredCandidate], top: int = 3) -> pl.DataFrame:
    rows = []
    for rank, scored in enumerate(ranked[:top], start=1):
        cand = scored.candidate
        rows.append(
            {
                "rank": rank,
                "key": cand.key,
                "source": cand.source,
                "doi": cand.doi,
                "pmid": cand.pmid,
                "openalex": cand.openalex,
                "title": cand.title,
                "authors": "; ".join(cand.authors),
                "year": cand.year,
                "journal": cand.journal,
                "volume": cand.volume,
                "first_page": cand.first_page,
                "type": cand.type,
                "probability": scored.probability,
                "fields": json.dumps([asdict(f) for f in scored.fields]),
            }
        )
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, strict=False)


def _decide(
    con: duckdb.DuckDBPyConnection,
    collection: str,
    position: int,
    ranked: list[ScoredCandidate],
    failure: str | None,
) -> None:
    store.replace_match_candidates(con, collection, position, _candidate_rows(ranked))
    chosen = automatic(ranked)
    if failure is not None:
        status, key, p, reason = "pending", None, None, failure
    elif chosen is not None:
        status, key, p = "auto", chosen.candidate.key, chosen.probability
        reason = f"matched automatically (p = {chosen.probability:.3f})"
    elif ranked:
        status, key, p = "review", None, ranked[0].probability
        reason = f"needs a person: best candidate p = {ranked[0].probability:.2f}"
    else:
        status, key, p, reason = "unmatched", None, None, "no candidate found"
    store.record_match_decision(
        con,
        collection,
        position,
        status=status,
        chosen_key=key,
        probability=p,
        reason=reason,
        decided_by="model",
    )


async def _lookup_chunk(
    chunk: list[dict[str, object]], collection: str, transport: Transport, settings: Settings
) -> list[tuple[int, list[ScoredCandidate], str | None]]:
    model = load_model()

    async def one(row: dict[str, object]) -> tuple[int, list[ScoredCandidate], str | None]:
        ref = _parsed(row)
        candidates, failure = await _lookup(
            ref, f"{collection}#{row['position']}", transport, settings
        )
        return int(str(row["position"])), rank_candidates(ref, candidates, model), failure

    return list(await asyncio.gather(*(one(row) for row in chunk)))


def run_matching(
    db_path: str | Path,
    collection: str,
    refs: Sequence[ParsedReference],
    settings: Settings,
    *,
    skipped: dict[str, int] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    on_progress: Callable[[MatchProgress], None] | None = None,
    cancel: threading.Event | None = None,
    meta: dict[str, object] | None = None,
) -> MatchSummary:
    """Store the references, look up the pending ones (resumable), write the collection.

    Raises CollectionInUse for a collection that exists and did not come from matching: its rows
    would be replaced by the references, so nothing is done and the person picks another name."""
    with store.connect(db_path) as con, store.transaction(con):
        existing = store.match_references(con, collection)
        if existing.is_empty() and store.get_collection(con, collection) is not None:
            raise CollectionInUse(
                f"A collection named '{collection}' already exists and was not built from "
                "references; choose another name so its works are kept."
            )
        rows = _reference_rows(refs, existing)
        store.replace_match_references(con, collection, rows)
        write_collection(con, collection, meta or {"source": "matching"})
    pending = [r for r in rows.iter_rows(named=True) if r["status"] == "pending"]
    started = time.monotonic()
    cancelled = asyncio.run(
        _lookup_all(db_path, collection, pending, settings, transport, on_progress, cancel, started)
    )
    with store.connect(db_path) as con, store.transaction(con):
        write_collection(con, collection, meta or {"source": "matching"})
        final = store.match_references(con, collection)
    counts = final.group_by("status").len().rows()
    return MatchSummary(
        references=final.height,
        skipped=dict(skipped or {}),
        counts={str(s): int(n) for s, n in counts},
        looked_up=len(pending),
        cancelled=cancelled,
    )


async def _lookup_all(
    db_path: str | Path,
    collection: str,
    pending: list[dict[str, object]],
    settings: Settings,
    transport: httpx.AsyncBaseTransport | None,
    on_progress: Callable[[MatchProgress], None] | None,
    cancel: threading.Event | None,
    started: float,
) -> bool:
    """True when cancelled before every pending reference was looked up."""
    done = 0
    async with Transport(settings, transport=transport) as client:
        for at in range(0, len(pending), CHUNK):
            if cancel is not None and cancel.is_set():
                if on_progress:
                    on_progress(MatchProgress(done, len(pending), time.monotonic() - started, True))
                return True
            results = await _lookup_chunk(pending[at : at + CHUNK], collection, client, settings)
            with store.connect(db_path) as con, store.transaction(con):
                for position, ranked, failure in results:
                    _decide(con, collection, position, ranked, failure)
            done += len(results)
            if on_progress:
                on_progress(MatchProgress(done, len(pending), time.monotonic() - started))
    return False


def write_collection(
    con: duckdb.DuckDBPyConnection, collection: str, meta: dict[str, object]
) -> None:
    """Every reference as a collection row, in input order: matched ones as works."""
    refs = store.match_references(con, collection)
    cands = store.match_candidates(con, collection, top=3)
    chosen = refs.join(
        cands, left_on=["position", "chosen_key"], right_on=["position", "key"], how="left"
    )
    matched = pl.col("status").is_in(MATCHED) & pl.col("chosen_key").is_not_null()
    items = chosen.select(
        "position",
        "input",
        pl.when(matched).then(pl.col("chosen_key")).alias("key"),
        pl.when(matched).then(pl.lit("valid")).otherwise(pl.lit("unmatched")).alias("status"),
        pl.when(matched)
        .then(
            pl.concat_str(
                pl.lit("matched "),
                pl.col("status").replace({"auto": "automatically", "accepted": "by hand"}),
            )
        )
        .otherwise(pl.col("reason").fill_null(pl.lit("not looked up yet")))
        .alias("reason"),
    )
    works = chosen.filter(matched).select(
        pl.col("chosen_key").alias("key"),
        "doi",
        "pmid",
        "openalex",
        "title",
        "journal",
        "year",
        "type",
    )
    store.upsert_works(con, works.filter(pl.col("key").is_not_null()))
    store.save_collection(con, collection, items, kind=MATCH_KIND, meta=meta)
