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
from typing import Any

import polars as pl
import streamlit as st

from lib import ingest, store
from lib.sources import source_readiness
from lib.sources.budgets import Budget
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


@st.cache_data(show_spinner=False, max_entries=4, ttl=30)
def _budgets(path: str, data_version: tuple[float, float]) -> dict[str, str]:
    with store.connect(path) as con:
        frame = store.last_budgets(con)
    texts = {}
    for row in frame.iter_rows(named=True):
        seen = row.pop("seen_at")
        texts[row["source"]] = f"{Budget(**row).describe()} (reported {seen} UTC)"
    return texts


def budget_left() -> dict[str, str]:
    """Per source, what its last answer said was left of its budget (from response headers)."""
    return _budgets(str(db_path()), version())


def doctor_panel() -> None:
    """The live check of `triangulate doctor`, on demand: one row per source."""
    from lib.ingest.doctor import check_sources

    st.caption(
        "Sends one request per source for a well-known work (10.7717/peerj.4375) and checks "
        "the key, every field Triangulate reads and the budget left: how to notice that a "
        "provider changed its format before the numbers go wrong."
    )
    if not st.button("Check every source now", key="sources_doctor"):
        return
    with st.spinner("Asking each source once…"):
        checks = check_sources(settings())
    broken = [SOURCES[c.source].label for c in checks if c.broken]
    if broken:
        st.error(f"Broken: {', '.join(broken)}. Their numbers may be missing or wrong.")
    else:
        st.success("Every configured source answered in the format Triangulate reads.")
    st.dataframe(
        [
            {
                "Source": SOURCES[c.source].label,
                "Outcome": c.outcome,
                "Detail": c.detail,
                "Budget left": c.budget,
                "Time (s)": None if c.seconds is None else round(c.seconds, 2),
            }
            for c in checks
        ],
        hide_index=True,
        width="stretch",
        key="sources_doctor_table",
    )


def usable_sources() -> list[dict[str, Any]]:
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
            # the registry's reason already starts with the source's name ("Altmetric: no key")
            reason = str(row["reason"]).removeprefix(f"{row['label']}: ")
            st.caption(f":material/block: {row['label']}: {reason}")
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
        fetch_outcome(handle.summary)


def fetch_outcome(summary: ingest.FetchSummary) -> None:
    """A run's outcome as it was: 0 of N succeeded is a red failure with its causes in words."""
    causes = ingest.failure_lines(summary)
    if summary.cancelled:
        st.warning("Fetch cancelled; what was fetched is kept.", icon=":material/pause:")
    elif summary.failed_sources:
        names = ", ".join(ingest.source_name(s) for s in summary.failed_sources)
        st.error(
            f"Fetch failed: no lookup succeeded for {names}. "
            + " ".join(f"{c}." for c in causes[:4]),
            icon=":material/cloud_off:",
        )
    elif causes:
        st.warning(
            "Fetch finished with errors: " + " ".join(f"{c}." for c in causes[:4]),
            icon=":material/warning:",
        )
    else:
        st.success("Fetch finished.", icon=":material/done:")
    st.code(ingest.format_summary(summary), language=None)
