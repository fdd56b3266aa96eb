"""Turning one response into stored rows: one result per asked work, one transaction per batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from lib import store
from lib.settings import Settings
from lib.sources.base import Page, SourceModule, WorkResult
from lib.sources.redaction import redact
from lib.sources.transport import HttpResult
from lib.store.fetch_writes import (
    MENTION_SCHEMA,
    RAW_SCHEMA,
    clear_observations,
    replace_mentions,
    store_raw_many,
)
from lib.store.versions import VERSION_SCHEMA, replace_version_links
from lib.store.writes import FETCH_LOG_SCHEMA, OBSERVATION_SCHEMA, PER_YEAR_SCHEMA, WORK_COLUMNS


def utc_now() -> datetime:
    """Naive UTC, as the TIMESTAMP columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class StoredBatch:
    source: str
    results: list[WorkResult]
    response: HttpResult | None = None  # None for results decided without a request (skipped)
    fetched_at: datetime = field(default_factory=utc_now)
    more_pages: list[HttpResult] = field(default_factory=list)  # the rest of a paged answer

    @property
    def responses(self) -> list[HttpResult]:
        return ([self.response] if self.response is not None else []) + self.more_pages


def results_for(
    module: SourceModule, response: HttpResult, settings: Settings, more: Sequence[HttpResult] = ()
) -> list[WorkResult]:
    """Exactly one result per asked key, whatever the parser or the network did; `more` are the
    further pages of a paged answer (any failed page makes the whole answer an error: a part of
    it must not be stored as the value)."""
    request = response.request
    broken = next((r for r in (response, *more) if r.failed), None)
    if broken is not None:
        message = broken.message or f"HTTP {broken.status}"
        if broken is not response:
            message = f"page {[response, *more].index(broken) + 1} of the answer failed: {message}"
        return [
            WorkResult(k, "error", message=message, http_status=broken.status) for k in request.keys
        ]
    try:
        if hasattr(module, "parse_pages"):
            pages = [Page(r.request, r.status or 0, r.body or "") for r in (response, *more)]
            parsed = module.parse_pages(pages)
        else:
            parsed = module.parse_response(request, response.status or 0, response.body or "")
    except Exception as error:  # a parser bug must cost this batch's values, not the run
        message = redact(f"could not read the response: {type(error).__name__}: {error}", settings)
        return [
            WorkResult(k, "error", message=message, http_status=response.status)
            for k in request.keys
        ]
    chosen: dict[str, WorkResult] = {}
    for result in parsed:
        if result.key in request.keys and (
            result.key not in chosen
            or (chosen[result.key].status != "ok" and result.status == "ok")
        ):
            chosen[result.key] = result
    missing = "the source's answer said nothing about this work"
    return [
        chosen.get(k) or WorkResult(k, "error", message=missing, http_status=response.status)
        for k in request.keys
    ]


def _work_rows(results: list[WorkResult]) -> pl.DataFrame:
    rows = []
    for r in results:
        if r.status != "ok" or not r.work:
            continue
        row = {c: r.work[c] for c in WORK_COLUMNS if c in r.work and r.work[c] is not None}
        row["key"] = r.key
        if r.key.startswith("10."):
            row["doi"] = r.key  # the key is the canonical DOI; a source's spelling never wins
        rows.append(row)
    if not rows:
        return pl.DataFrame()
    frame = pl.from_dicts(rows, infer_schema_length=None)
    casts = []
    for name in frame.columns:
        dtype = WORK_COLUMNS[name]
        if dtype == pl.Date() and frame.schema[name] == pl.String:
            casts.append(pl.col(name).str.to_date(strict=False))
        else:
            casts.append(pl.col(name).cast(dtype, strict=False))
    # several sources may describe one work in a group: later non-null values win, as they
    # would have in separate upserts
    return (
        frame.with_columns(casts)
        .group_by("key", maintain_order=True)
        .agg(pl.all().drop_nulls().last())
    )


def _frames(batches: list[StoredBatch], settings: Settings) -> dict[str, pl.DataFrame]:
    """The rows of every table a group of batches writes."""
    obs, years, outcomes, cleared, raws, mentions, versions = [], [], [], [], [], [], []
    for b in batches:
        for r in b.results:
            outcomes.append(
                (
                    r.key,
                    b.source,
                    r.status,
                    r.http_status,
                    b.fetched_at,
                    redact(r.message, settings) or None,
                )
            )
            if r.status != "ok":
                continue
            cleared.append((r.key, b.source))
            versions += [
                (v["published"], v["preprint"], v["relation"], b.source, r.key, v["evidence"], at)
                for v in r.work.get("versions") or ()
                if (at := b.fetched_at)
            ]
            obs += [
                (r.key, b.source, m, float(v), b.fetched_at)
                for m, v in r.metrics.items()
                if v is not None
            ]
            years += [
                (r.key, b.source, m, int(y), float(v))
                for m, series in r.per_year.items()
                for y, v in series.items()
            ]
        for response in b.responses:
            raws.append(
                (
                    b.source,
                    response.description,
                    response.status,
                    b.fetched_at,
                    response.body,
                    list(b.response.request.keys if b.response else response.request.keys),
                )
            )
            mentions += [
                (r.key, b.source, m.title, m.url, m.link, b.fetched_at)
                for r in b.results
                if r.status == "ok" and response is b.response
                for m in r.mentions
            ]
    return {
        "outcomes": pl.DataFrame(outcomes, schema=FETCH_LOG_SCHEMA, orient="row"),
        "cleared": pl.DataFrame(
            cleared, schema={"key": pl.String, "source": pl.String}, orient="row"
        ),
        "observations": pl.DataFrame(obs, schema=OBSERVATION_SCHEMA, orient="row"),
        "per_year": pl.DataFrame(years, schema=PER_YEAR_SCHEMA, orient="row"),
        "raw": pl.DataFrame(raws, schema=RAW_SCHEMA, orient="row"),
        "mentions": pl.DataFrame(mentions, schema=MENTION_SCHEMA, orient="row"),
        "versions": pl.DataFrame(versions, schema=VERSION_SCHEMA, orient="row"),
    }


def write_batches(db_path: Path, batches: list[StoredBatch], settings: Settings) -> None:
    """A group of batches in ONE transaction: each response is stored whole or not at all."""
    frames = _frames(batches, settings)
    works = _work_rows([r for b in batches for r in b.results])
    with store.connect(db_path) as con, store.transaction(con):
        store_raw_many(con, frames["raw"])
        store.upsert_works(con, works)
        clear_observations(con, frames["cleared"])
        store.replace_observations(con, frames["observations"])
        store.replace_per_year(con, frames["per_year"])
        store.record_fetch_outcomes(con, frames["outcomes"])
        replace_mentions(con, frames["cleared"], frames["mentions"])
        replace_version_links(con, frames["cleared"], frames["versions"])
