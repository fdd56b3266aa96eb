"""Enrichment from the pages: start, watch and cancel a background fetch.

Running fetches live in a process-wide registry (`st.cache_resource`), not in a session, so a
person can leave the page or close the browser and find the enrichment still running (or
finished) when they come back; a fetch stopped by a server restart resumes on the next click,
because ingest skips whatever is already fresh.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import polars as pl
import streamlit as st

from lib import ingest, store
from lib.sources import source_readiness
from lib.ui import db_path, settings, version
from lib.vocabulary import SOURCES

REASON_LABELS = {
    "new": "never fetched",
    "stale": "older than its freshness window",
    "not_found_recheck": "not found before; due for a recheck",
    "error_retry": "failed before; will be retried",
    "skipped_recheck": "skipped before (e.g. no PMID); rechecked",
}


@st.cache_resource
def _registry() -> tuple[dict[str, ingest.FetchHandle], threading.Lock]:
    return {}, threading.Lock()


def running_fetch(job: str) -> ingest.FetchHandle | None:
    handles, _ = _registry()
    return handles.get(job)


def start_fetch(job: str, *, keys: Sequence[str], sources: Sequence[str]) -> ingest.FetchHandle:
    """Start a fetch unless the same job is already running; returns its handle."""
    handles, lock = _registry()
    with lock:
        handle = handles.get(job)
        if handle is None or handle.done:
            handle = ingest.start_background_fetch(
                db_path(), keys=list(keys), sources=list(sources), settings=settings()
            )
            handles[job] = handle
    return handle


def usable_sources() -> list[dict]:
    return [row for row in source_readiness(settings()) if row["name"] in ingest.WORK_SOURCES]


@st.cache_data(show_spinner=False, max_entries=32, ttl=60)
def _plan(
    path: str,
    job: str,
    sources: tuple[str, ...],
    data_version: tuple[float, float],
    _keys: Sequence[str],
) -> pl.DataFrame:
    # Keyed on the job (one per collection) and the file's version, not on the keys themselves:
    # hashing 100,000 keys on every rerun cost ~0.5 s. `_keys` is not hashed by Streamlit.
    with store.connect(path) as con:
        return ingest.plan_fetch(con, list(_keys), sources, settings(), datetime.now())


def plan_summary(job: str, keys: Sequence[str], sources: Sequence[str]) -> pl.DataFrame:
    """Per source and reason, how many works a fetch would ask for now."""
    plan = _plan(str(db_path()), job, tuple(sources), version(), keys)
    return (
        plan.group_by("source", "reason")
        .len("works")
        .with_columns(
            pl.col("source").replace_strict(
                {k: v.label for k, v in SOURCES.items()}, default=pl.col("source")
            ),
            pl.col("reason").replace_strict(REASON_LABELS, default=pl.col("reason")),
        )
        .sort("source", "reason")
    )


def fetch_panel(job: str, keys: Sequence[str], *, key_prefix: str) -> None:
    """Source choice, a start button, and live progress with a cancel for one collection."""
    readiness = usable_sources()
    usable = [r["name"] for r in readiness if r["usable"]]
    for row in readiness:
        if not row["usable"]:
            st.caption(f":material/block: {row['label']}: {row['reason']}")
    handle = running_fetch(job)
    running = handle is not None and not handle.done
    chosen = st.multiselect(
        "Sources",
        usable,
        default=usable,
        format_func=lambda name: SOURCES[name].label,
        key=f"{key_prefix}_fetch_sources",
        disabled=running,
    )
    plan = plan_summary(job, keys, chosen) if chosen else pl.DataFrame()
    if chosen and plan.is_empty():
        st.success("Everything is up to date for these sources.", icon=":material/done_all:")
    elif chosen:
        st.caption(f"{int(plan['works'].sum()):,} (work, source) lookups are due:")
        st.dataframe(plan, hide_index=True, key=f"{key_prefix}_fetch_plan")
    if st.button(
        "Fetch now",
        type="primary",
        disabled=running or not chosen or not keys,
        key=f"{key_prefix}_fetch_start",
        icon=":material/cloud_download:",
    ):
        start_fetch(job, keys=keys, sources=chosen)
        st.rerun()
    _progress_fragment(job, key_prefix)


@st.fragment(run_every=1.0)
def _progress_fragment(job: str, key_prefix: str) -> None:
    handle = running_fetch(job)
    if handle is None:
        return
    event = handle.progress
    if not handle.done:
        fraction = event.fraction if event else 0.0
        text = ingest.format_progress(event) if event else "Starting…"
        st.progress(fraction, text=text)
        for source in event.sources if event else ():
            label = SOURCES[source.source].label if source.source in SOURCES else source.source
            eta = (
                f", ~{ingest.format_duration(source.eta_seconds)} left"
                if source.eta_seconds
                else ""
            )
            st.caption(
                f"{label}: {source.done:,}/{source.total:,} works, {source.rate:.1f}/s{eta}"
                + (f", {source.errors:,} errors" if source.errors else "")
            )
        if st.button("Cancel (keeps what was fetched)", key=f"{key_prefix}_fetch_cancel"):
            handle.cancel()
        return
    if handle.error is not None:
        st.error(
            f"The fetch stopped: {handle.error}. What was stored is kept; fetch again to resume."
        )
    elif handle.summary is not None:
        st.success("Fetch finished." if not handle.summary.cancelled else "Fetch cancelled.")
        st.code(ingest.format_summary(handle.summary), language=None)
