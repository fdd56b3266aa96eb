"""The only lib package that imports streamlit: settings, cached reads and shared widgets.

Reads are memoised with `st.cache_data` keyed on the database file's `data_version` (its mtimes),
so a rerun costs no database open unless something (the CLI, an ingest thread) wrote to the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from lib import store
from lib.settings import Settings, load_settings
from lib.views.plain_text import plain as plain
from lib.vocabulary import MISSING, SOURCES

COLLECTION_KEY = "collection"


def settings() -> Settings:
    """Environment first, then the secrets file (`lib.settings`: the one reader of both)."""
    return load_settings()


def db_path() -> Path:
    return settings().db_path


def version() -> tuple[float, float]:
    return store.data_version(db_path())


@st.cache_resource(show_spinner="Preparing the fictional demo data (first start only)…")
def ensure_cache_ready(path: str, seed_demo: bool = True) -> bool:
    """Seed the demo on first start when the cache holds no works. Returns True if it seeded."""
    from lib import demo

    if not seed_demo:
        return False
    with store.connect(path) as con:
        if store.cache_summary(con)["works"]:
            return False
        demo.build_demo(con)
    return True


@st.cache_data(show_spinner=False, max_entries=64)
def collection_summary(path: str, data_version: tuple[float, float]) -> dict[str, Any]:
    with store.connect(path) as con:
        return {
            **store.cache_summary(con),
            "collections_frame": store.list_collections(con),
        }


def cache_overview() -> dict[str, Any]:
    return collection_summary(str(db_path()), version())


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(path: str, collection: str | None, data_version: tuple[float, float]) -> pl.DataFrame:
    with store.connect(path) as con:
        keys = store.collection_keys(con, collection) if collection else None
        return store.coverage_by_source(con, keys)


def coverage(collection: str | None) -> pl.DataFrame:
    return _coverage(str(db_path()), collection, version())


def collection_picker() -> str | None:
    """Sidebar picker shared by every page; the choice survives page switches."""
    frame = cache_overview()["collections_frame"]
    if frame.is_empty():
        st.sidebar.caption("No collections yet.")
        return None
    names = frame["name"].to_list()
    labels = {
        r["name"]: f"{r['name']} · {r['works']:,} works" + (" · fictional" if r["is_demo"] else "")
        for r in frame.iter_rows(named=True)
    }
    # The widget's own key holds the choice; pages read it back through COLLECTION_KEY. A link
    # with ?collection=NAME opens that collection in a fresh session (a shareable address).
    # A collection a page just built (`COLLECTION_KEY` set, the widget's key dropped) wins over
    # the address, which still names the one shown before.
    from_url = st.query_params.get("collection")
    current = st.session_state.get(COLLECTION_KEY)
    if "sidebar_collection" not in st.session_state:
        if current in names:
            st.session_state["sidebar_collection"] = current
        elif from_url in names:
            st.session_state["sidebar_collection"] = from_url
    if st.session_state.get("sidebar_collection") not in names:
        st.session_state["sidebar_collection"] = current if current in names else names[0]
    choice: str | None = st.sidebar.selectbox(
        "Collection", names, format_func=lambda n: labels.get(n, n), key="sidebar_collection"
    )
    st.session_state[COLLECTION_KEY] = choice
    if choice is not None and st.query_params.get("collection") != choice:
        st.query_params["collection"] = choice
    return choice


def sidebar_data_date(collection: str | None = None) -> None:
    """The data date and, only while a fictional collection is selected, the demo warning."""
    summary = cache_overview()
    newest = summary.get("newest")
    st.sidebar.caption(f"Data as of {newest:%Y-%m-%d}" if newest else "No metrics fetched yet.")
    if collection is not None and is_demo_collection(collection):
        st.sidebar.warning(
            "Demo data: the Demo School of Medicine, its people and its works are fictional.",
            icon=":material/science:",
        )


def cache_demo_notice(works: int, demo_works: int) -> str | None:
    """What the Overview says about fictional data: all of it, part of it, or nothing."""
    if not demo_works:
        return None
    if demo_works >= works:
        return (
            "Fictional demo data: every person, work and number here is generated "
            "(DOIs use the test prefix 10.5555). Import your own list on the Upload page."
        )
    return (
        f"{demo_works:,} of the {works:,} works in this cache are fictional demo works (collections "
        "marked Fictional below). Your real works are never compared with them: percentiles of "
        "real works use real works only."
    )


def overview_demo_banner(summary: dict[str, Any]) -> None:
    notice = cache_demo_notice(int(summary.get("works") or 0), int(summary.get("demo_works") or 0))
    if notice:
        st.info(notice, icon=":material/science:")


def demo_banner(is_demo: bool) -> None:
    if is_demo:
        st.info(
            "Fictional demo data: every person, work and number here is generated "
            "(DOIs use the test prefix 10.5555). Import your own list on the Upload page.",
            icon=":material/science:",
        )


def with_dashes(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as shown: a missing cell reads "—" (st.dataframe would print "None")."""
    return frame.with_columns(
        pl.col(c).cast(pl.String).fill_null(MISSING)
        for c, dtype in frame.schema.items()
        if dtype == pl.String or (dtype.is_numeric() and frame[c].null_count())
    )


def fmt_count(value: Any) -> str:
    return MISSING if value is None else f"{value:,}"


@st.cache_data(show_spinner=False, max_entries=64)
def _collection_keys(path: str, collection: str, data_version: tuple[float, float]) -> list[str]:
    with store.connect(path) as con:
        return store.collection_keys(con, collection)


def collection_work_keys(collection: str) -> list[str]:
    """The valid, not-excluded works of a collection, in input order."""
    return _collection_keys(str(db_path()), collection, version())


def is_demo_collection(collection: str) -> bool:
    frame = cache_overview()["collections_frame"]
    match = frame.filter(frame["name"] == collection)
    return bool(match.height and match["is_demo"][0])


def coverage_section(coverage: pl.DataFrame, *, key_prefix: str, scope_label: str) -> None:
    """Per-source coverage as a stacked bar and a table; an empty frame says nothing was fetched."""
    from lib import charts

    if coverage.is_empty():
        st.info(f"Nothing fetched yet for {scope_label}: every metric is missing (—), not zero.")
        return
    answered = coverage.select(pl.sum_horizontal("ok", "not_found", "error", "skipped").sum())
    if not answered.item():
        st.info(f"Nothing fetched yet for {scope_label}: every metric is missing (—), not zero.")
    # Sources by name, and every work source listed, fetched or not (store.coverage_by_source).
    coverage = coverage.with_columns(
        pl.col("source").replace_strict(
            {k: v.label for k, v in SOURCES.items()}, default=pl.col("source")
        )
    )
    st.caption(
        f"For {scope_label}: works with data, not found by the source, skipped (no usable "
        "identifier or no key), failed, or never fetched."
    )
    st.plotly_chart(charts.coverage_figure(coverage), key=f"{key_prefix}_coverage_chart")
    st.dataframe(
        coverage,
        hide_index=True,
        width="stretch",
        column_config={
            "source": "Source",
            "ok": "Has data",
            "not_found": "Not found",
            "error": "Error",
            "skipped": "Skipped",
            "not_fetched": "Not fetched",
            "oldest": st.column_config.DatetimeColumn("Oldest fetch", format="YYYY-MM-DD HH:mm"),
            "newest": st.column_config.DatetimeColumn("Newest fetch", format="YYYY-MM-DD HH:mm"),
        },
        key=f"{key_prefix}_coverage_table",
    )
