"""Collection -> what is missing or stale per source -> fetch concurrently -> store, resumably.

Each response is stored within ONE transaction (raw body, works, observations, per-year series
and the fetch outcome of every work it asked about; responses that arrive together share one), so
a run killed at any moment leaves only whole responses behind, and the next run's plan skips
exactly the works whose outcome is recorded and still fresh. Writes happen on a worker thread with
a short-lived connection per group, so the dashboard can read between them. iCite needs PMIDs: its
batches are filled as OpenAlex / Europe PMC / Semantic Scholar answers arrive (works that already
had a PMID go first), and works still without one once those are done are recorded `skipped`.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
import polars as pl

from lib import store
from lib.ingest.batches import StoredBatch, results_for, utc_now, write_batches
from lib.ingest.plan import (
    NEEDS_PMID,
    PMID_RESOLVERS,
    WORK_SOURCES,
    UnknownCollection,
    load_work_ids,
    plan_fetch,
    source_module,
)
from lib.ingest.progress import (
    FetchSummary,
    ProgressEvent,
    Tally,
)
from lib.settings import DEFAULT_BATCH_SIZES, Settings, load_settings
from lib.sources.base import ApiRequest, Page, SourceModule, WorkIds, WorkResult
from lib.sources.redaction import redact
from lib.sources.transport import FALLBACK_SOURCE_CONCURRENCY, HttpResult, Transport

PROGRESS_INTERVAL = 0.25
MAX_PAGES = 1000  # a runaway cursor must not fetch for ever


class Cancel(Protocol):
    def is_set(self) -> bool: ...


@dataclass
class _Run:
    db_path: Path
    settings: Settings
    http: Transport
    tallies: dict[str, Tally]
    cancel: Cancel
    on_progress: Callable[[ProgressEvent], None] | None
    started: float = field(default_factory=time.monotonic)
    last_emit: float = 0.0

    def __post_init__(self) -> None:
        self.queue: asyncio.Queue[StoredBatch | None] = asyncio.Queue()
        self.pmid_waiting: dict[str, dict[str, WorkIds]] = {s: {} for s in NEEDS_PMID}
        self.pmid_ready: dict[str, deque[WorkIds]] = {s: deque() for s in NEEDS_PMID}
        self.pmid_changed = asyncio.Event()
        self.resolvers_left = 0
        self.broken = False

    @property
    def stopping(self) -> bool:
        return self.broken or self.cancel.is_set()

    # -- storing
    async def writer(self) -> None:
        while True:
            first = await self.queue.get()
            batches = [first]
            while not self.queue.empty():
                batches.append(self.queue.get_nowait())
            real = [b for b in batches if b is not None]
            if real:
                try:
                    await asyncio.to_thread(write_batches, self.db_path, real, self.settings)
                except BaseException:
                    self.broken = True  # stop fetching what could not be stored
                    raise
                for batch in real:
                    for result in batch.results:
                        self.tallies[batch.source].add(
                            result.status, redact(result.message, self.settings)
                        )
                    self.emit(batch.source)
            if None in batches:
                return

    def emit(self, source: str, force: bool = False) -> None:
        now = time.monotonic()
        if self.on_progress is None or (not force and now - self.last_emit < PROGRESS_INTERVAL):
            return
        self.last_emit = now
        self.on_progress(self.event(source))

    def event(self, source: str) -> ProgressEvent:
        return ProgressEvent(
            source=source,
            sources=tuple(t.snapshot() for t in self.tallies.values()),
            elapsed=time.monotonic() - self.started,
            cancelled=self.cancel.is_set(),
        )

    # -- fetching
    async def send_all(self, source: str, requests: deque[ApiRequest]) -> None:
        """Send a source's requests with as many workers as it may have connections."""
        module = source_module(source)
        workers = self.http.source_concurrency.get(source, FALLBACK_SOURCE_CONCURRENCY)

        async def work() -> None:
            while requests and not self.stopping:
                request = requests.popleft()
                self.tallies[source].requests += 1
                response = await self.http.send(request)
                more = await self.rest_of_answer(module, response)
                results = results_for(module, response, self.settings, more)
                self.note_pmids(results)
                await self.queue.put(StoredBatch(source, results, response, more_pages=more))

        await asyncio.gather(*(work() for _ in range(max(1, workers))))

    async def rest_of_answer(self, module: SourceModule, first: HttpResult) -> list[HttpResult]:
        """The further pages of a paged answer, in order, up to the first failed one."""
        follow = getattr(module, "next_request", None)
        pages: list[HttpResult] = []
        last = first
        while follow is not None and not last.failed and not self.stopping:
            read = [Page(r.request, r.status or 0, r.body or "") for r in (first, *pages)]
            following = follow(read)
            if following is None or len(pages) >= MAX_PAGES:
                break
            self.tallies[first.request.source].requests += 1
            last = await self.http.send(following)
            pages.append(last)
        return pages

    async def run_source(self, source: str, works: list[WorkIds]) -> None:
        try:
            module = source_module(source)
            requests, skipped = module.build_requests(works, self.settings)
            if skipped:
                await self.queue.put(StoredBatch(source, list(skipped)))
            await self.send_all(source, deque(requests))
        finally:
            self.tallies[source].finished = True
            if source in PMID_RESOLVERS:
                self.resolvers_left -= 1
                self.pmid_changed.set()

    def note_pmids(self, results: list[WorkResult]) -> None:
        for result in results:
            pmid = result.work.get("pmid") if result.status == "ok" else None
            for source, waiting in self.pmid_waiting.items():
                ids = waiting.pop(result.key, None) if pmid else None
                if ids is not None:
                    self.pmid_ready[source].append(
                        WorkIds(ids.key, ids.doi, str(pmid), ids.pmcid, ids.arxiv, ids.openalex)
                    )
                    self.pmid_changed.set()

    async def run_pmid_source(self, source: str, works: list[WorkIds]) -> None:
        """Send full batches as PMIDs arrive; skip what is still without one at the end."""
        module = source_module(source)
        size = max(1, int(self.settings.batch_sizes.get(source, 200)))
        ready, waiting = self.pmid_ready[source], self.pmid_waiting[source]
        for work in works:
            if work.pmid:
                ready.append(work)
            else:
                waiting[work.key] = work
        pending: deque[ApiRequest] = deque()
        senders: list[asyncio.Task[None]] = []
        try:
            while not self.stopping:
                done = self.resolvers_left <= 0
                if len(ready) >= size or (done and ready):
                    chunk = [ready.popleft() for _ in range(min(size, len(ready)))]
                    requests, skipped = module.build_requests(chunk, self.settings)
                    if skipped:
                        await self.queue.put(StoredBatch(source, list(skipped)))
                    pending.extend(requests)
                    if not senders or all(t.done() for t in senders):
                        senders = [asyncio.create_task(self.send_all(source, pending))]
                elif done:
                    break
                else:
                    self.pmid_changed.clear()
                    await self.pmid_changed.wait()
            await asyncio.gather(*senders)
            while pending and not self.stopping:
                await self.send_all(source, pending)
            if waiting and not self.stopping:
                _, skipped = module.build_requests(list(waiting.values()), self.settings)
                await self.queue.put(StoredBatch(source, list(skipped)))
        finally:
            self.tallies[source].finished = True


async def _fetch(
    db_path: Path,
    plan: dict[str, list[WorkIds]],
    settings: Settings,
    cancel: Cancel,
    on_progress: Callable[[ProgressEvent], None] | None,
    transport: httpx.AsyncBaseTransport | None,
    http_options: Mapping[str, Any] | None = None,
) -> dict[str, Tally]:
    tallies = {
        s: Tally(s, len(works), planned_rate=planned_rate(settings, s)) for s, works in plan.items()
    }
    async with Transport(settings, transport=transport, **(http_options or {})) as http:
        run = _Run(db_path, settings, http, tallies, cancel, on_progress)
        writer = asyncio.create_task(run.writer())
        resolvers = [s for s in plan if s not in NEEDS_PMID]
        run.resolvers_left = len(PMID_RESOLVERS.intersection(resolvers))
        tasks = [run.run_source(s, plan[s]) for s in resolvers]
        tasks += [run.run_pmid_source(s, plan[s]) for s in plan if s in NEEDS_PMID]
        try:
            await asyncio.gather(*tasks)
        finally:
            await run.queue.put(None)
            await writer
            if http.budgets:
                await asyncio.to_thread(_save_budgets, db_path, http)
        if plan:
            run.emit(next(iter(plan)), force=True)
    return tallies


def _save_budgets(db_path: Path, http: Transport) -> None:
    """What each source's last answer said was left of its budget, for the Sources page."""
    budgets = {source: asdict(budget) for source, budget in http.budgets.items()}
    with store.connect(db_path) as con:
        store.save_budgets(con, budgets, utc_now())


# ---------------------------------------------------------------- public entry points


def send_one(
    request: ApiRequest,
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    http_options: Mapping[str, Any] | None = None,
) -> HttpResult:
    """One request outside a fetch plan (ORCID's works list), through the same Transport, with
    the same limits, retries, redaction and test seams (`http_options`) as every fetch."""

    async def send() -> HttpResult:
        async with Transport(settings, transport=transport, **(http_options or {})) as http:
            return await http.send(request)

    return asyncio.run(send())


class _NeverCancelled:
    def is_set(self) -> bool:
        return False


def fetch_works(
    db_path: str | Path,
    keys: Sequence[str],
    *,
    sources: Sequence[str] | None = None,
    settings: Settings | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    cancel: Cancel | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    now: datetime | None = None,
    http_options: Mapping[str, Any] | None = None,
    follow_versions: bool = True,
) -> FetchSummary:
    """Fetch what is missing or stale for these works from these sources; store it; summarise.

    With `follow_versions`, preprints (or journal versions) the answers linked to are then
    fetched as works of their own, one level deep, so both can be shown side by side.
    """
    settings = settings or load_settings()
    chosen = [s for s in WORK_SOURCES if s in (sources or WORK_SOURCES)]
    unknown = sorted(set(sources or ()) - set(WORK_SOURCES))
    if unknown:
        raise ValueError(f"unknown source(s): {', '.join(unknown)}; choose from {WORK_SOURCES}")
    keys = list(dict.fromkeys(keys))
    started = time.monotonic()
    with store.connect(db_path) as con:
        plan_frame = plan_fetch(con, keys, chosen, settings, now or utc_now())
        ids = load_work_ids(con, plan_frame["key"].unique().to_list())
    planned = {
        s: [ids[k] for k in plan_frame.filter(pl.col("source") == s)["key"].to_list()]
        for s in chosen
    }
    planned = {s: works for s, works in planned.items() if works}
    up_to_date = {s: len(keys) - len(planned.get(s, [])) for s in chosen}
    cancel = cancel or _NeverCancelled()
    tallies = asyncio.run(
        _fetch(Path(db_path), planned, settings, cancel, on_progress, transport, http_options)
    )
    linked = add_linked_versions(db_path, keys) if follow_versions and not cancel.is_set() else []
    if linked:
        fetch_works(
            db_path,
            linked,
            sources=sources,
            settings=settings,
            on_progress=on_progress,
            cancel=cancel,
            transport=transport,
            now=now,
            http_options=http_options,
            follow_versions=False,
        )
    return FetchSummary(
        works=len(keys),
        sources=tuple(t.snapshot() for t in tallies.values()),
        up_to_date={s: n for s, n in up_to_date.items() if n},
        failures={
            s: [f"{m} ({n} works)" for m, n in t.messages.most_common(3)]
            for s, t in tallies.items()
            if t.messages
        },
        elapsed=time.monotonic() - started,
        cancelled=cancel.is_set(),
    )


def add_linked_versions(db_path: str | Path, keys: Sequence[str]) -> list[str]:
    """Keys of linked versions outside `keys`, added to the work table so they can be fetched."""
    from lib.ids import parse_work_key
    from lib.store.versions import version_links

    asked = set(keys)
    with store.connect(db_path) as con:
        links = version_links(con, list(keys))
        if links.is_empty():
            return []
        others = [
            k
            for k in dict.fromkeys([*links["preprint_key"], *links["published_key"]])
            if k not in asked and parse_work_key(k) is not None
        ]
        rows = []
        for key in others:
            identifier = parse_work_key(key)
            scheme = identifier.scheme if identifier else None
            rows.append({"key": key, scheme or "doi": identifier.value if identifier else None})
        if rows:
            frame = pl.from_dicts(rows, infer_schema_length=None)
            with store.transaction(con):
                store.upsert_works(con, frame)
    return others


def fetch_collection(db_path: str | Path, collection: str, **options: Any) -> FetchSummary:
    """`fetch_works` over a collection's valid works (options as for `fetch_works`)."""
    with store.connect(db_path) as con:
        if store.get_collection(con, collection) is None:
            raise UnknownCollection(f"no collection named {collection!r}")
        keys = store.collection_keys(con, collection)
    return fetch_works(db_path, keys, **options)


def planned_rate(settings: Settings, source: str) -> float | None:
    """Works per second the source's rate limit allows: requests/s times works per request."""
    rate = float(settings.rates.get(source, 0.0) or 0.0)
    per_request = max(1, int(settings.batch_sizes.get(source, DEFAULT_BATCH_SIZES.get(source, 1))))
    return rate * per_request if rate > 0 else None
