"""The Compare page's cached loaders and widgets (the only Compare module that imports streamlit).

Loading is memoised per (database file, candidate names, data version); the comparison itself per
candidate settings too, so a rerun that changes nothing costs a cache lookup, not a query.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from lib import store
from lib.exports.committee import (
    candidates_table,  # noqa: F401 (re-exported for the page)
    committee_html,
    committee_xlsx,
    coverage_table,
)
from lib.exports.names import dated_file_name
from lib.ui import cache_overview, db_path, plain, version
from lib.views.candidates import Candidate, Comparison
from lib.views.compare import (
    GROUPS,
    MAX_CANDIDATES,
    build_comparison,
    candidate_labels,
    default_candidate,
    indicator_matrix,
    with_settings,
)
from lib.views.compare_data import load_candidates
from lib.views.compare_figures import comparison_figures
from lib.vocabulary import MISSING

PICKER_LIMIT = MAX_CANDIDATES


def remember_selection(chosen: list[str]) -> None:
    """Keep the candidates in the address, so the comparison can be shared as a link."""
    if st.query_params.get_all("candidate") != chosen:
        st.query_params["candidate"] = chosen


def comparable_collections() -> dict[str, str]:
    """Collection name -> picker label (person, works, kind), portfolios and candidates first."""
    frame = cache_overview()["collections_frame"]
    if frame.is_empty():
        return {}
    ranked = frame.with_columns(first=pl.col("kind").is_in(["portfolio", "candidate"]).not_()).sort(
        "first", "name"
    )
    return {
        r["name"]: f"{r['name']} · {r['works']:,} works · {r['kind']}"
        for r in ranked.iter_rows(named=True)
    }


def default_selection(options: dict[str, str], count: int = 3) -> list[str]:
    """The candidates of a shared link (?candidate=A&candidate=B), else the first portfolios."""
    linked = [n for n in st.query_params.get_all("candidate") if n in options]
    if len(linked) >= 2:
        return linked[:PICKER_LIMIT]
    frame = cache_overview()["collections_frame"]
    portfolios = frame.filter(pl.col("kind") == "portfolio")["name"].to_list()
    return [n for n in portfolios if n in options][:count] or list(options)[:count]


# cache_resource, not cache_data: the frames and figures are never mutated, and unpickling plotly
# figures on every rerun (cache_data's copy) costs ~20 ms each.
@st.cache_resource(show_spinner="Loading the candidates' works…", max_entries=32)
def _load(path: str, names: tuple[str, ...], data_version: tuple[float, float]) -> dict[str, Any]:
    with store.connect(path) as con:
        return load_candidates(con, names)


def load(names: list[str]) -> dict[str, Any]:
    return _load(str(db_path()), tuple(names), version())


def candidate_defaults(names: list[str]) -> list[Candidate]:
    """Each candidate with career start and field from the collection meta, else from the data."""
    loaded = load(names)
    works = loaded["works"]
    return [
        default_candidate(n, loaded["metas"].get(n), works.filter(pl.col("candidate") == n))
        for n in names
    ]


@st.cache_resource(show_spinner="Comparing…", max_entries=32)
def _comparison(
    path: str,
    candidates: tuple[Candidate, ...],
    today: date,
    data_version: tuple[float, float],
    weights_json: str,
) -> tuple[Comparison, dict[str, Any]]:
    loaded = _load(path, tuple(c.name for c in candidates), data_version)
    result = build_comparison(
        loaded["works"],
        list(candidates),
        today=today,
        weights=json.loads(weights_json) or None,
        attention_reference=loaded["reference"],
        citation_reference=loaded["citation_reference"],
        data_date=loaded["data_date"],
        source_dates=loaded["source_dates"],
    )
    return result, comparison_figures(result)


def comparison(
    candidates: list[Candidate], weights: dict[str, float] | None = None
) -> tuple[Comparison, dict[str, Any]]:
    """The comparison and its figures, cached per candidate settings, weights and data version."""
    weights_json = json.dumps(weights or {}, sort_keys=True)
    return _comparison(str(db_path()), tuple(candidates), date.today(), version(), weights_json)


def candidate_settings(defaults: list[Candidate]) -> list[Candidate]:
    """Per candidate, editable career start and field; the origin of each value is shown."""
    edited = []
    this_year = date.today().year
    for candidate in defaults:
        name_col, start_col, field_col = st.columns([3, 2, 3])
        collection = (
            f"  \ncollection “{plain(candidate.name)}”" if candidate.name != candidate.label else ""
        )
        name_col.markdown(f"**{plain(candidate.label)}**{collection}")
        start = start_col.number_input(
            "Career start year",
            min_value=1950,
            max_value=this_year,
            value=candidate.career_start,
            step=1,
            key=f"compare_start_{candidate.name}",
            help=f"Default: {candidate.career_start_origin}.",
        )
        field_name = field_col.text_input(
            "Field",
            value=candidate.field or "",
            key=f"compare_field_{candidate.name}",
            help=f"Default: {candidate.field_origin}.",
        )
        edited.append(with_settings(candidate, int(start) if start else None, field_name))
    return edited


def show_frame(frame: pl.DataFrame, key: str) -> None:
    st.dataframe(frame, hide_index=True, width="stretch", key=key)


def indicator_tables(comparison: Comparison) -> None:
    """One table per indicator group, normalised first; raw counts last and smaller."""
    for group, title in GROUPS.items():
        table = indicator_matrix(comparison, group)
        if table.is_empty() or group in ("attention", "clinical"):
            continue
        (st.markdown if group == "normalised" else st.caption)(f"**{title}**")
        show_frame(table, key=f"compare_table_{group}")


def responsible_use_panel(comparison: Comparison) -> None:
    """Always visible: caveats, this comparison's warnings, reference sets, coverage, data date."""
    with st.container(border=True):
        st.markdown("#### Responsible use")
        for warning in comparison.warnings:
            st.warning(warning, icon=":material/warning:")
        st.markdown("\n".join(f"- {c}" for c in comparison.caveats))
        st.caption(comparison.weights_note)
        st.caption("Reference set of each normalised indicator")
        show_frame(comparison.reference_sets, key="compare_reference_sets")
        st.caption("Coverage and missing data per source per candidate (works by fetch status)")
        show_frame(coverage_table(comparison), key="compare_coverage")


def report_buttons(comparison: Comparison, figures: dict[str, Any]) -> None:
    """HTML and XLSX committee reports, generated only when clicked."""
    who = f"{len(comparison.candidates)} candidates"
    html_col, xlsx_col = st.columns(2)
    html_col.download_button(
        "Committee report (HTML, works offline, prints to PDF)",
        data=lambda: committee_html(comparison, figures),
        file_name=dated_file_name("committee", who, "html", comparison.today),
        mime="text/html",
        on_click="ignore",
        icon=":material/description:",
        key="compare_download_html",
    )
    xlsx_col.download_button(
        "Committee workbook (XLSX)",
        data=lambda: committee_xlsx(comparison),
        file_name=dated_file_name("committee", who, "xlsx", comparison.today),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table:",
        key="compare_download_xlsx",
    )


def group_table(comparison: Comparison, group: str) -> None:
    table = indicator_matrix(comparison, group)
    if not table.is_empty():
        show_frame(table, key=f"compare_table_{group}")


def correlation_table(comparison: Comparison) -> pl.DataFrame:
    labels = dict(candidate_labels(comparison))
    return comparison.correlations.select(
        pl.col("candidate").replace_strict(labels).alias("Candidate"),
        pl.col("pair").alias("Pair"),
        *(
            pl.col(c).round(2).cast(pl.String).fill_null(MISSING).alias(label)
            for c, label in (("rho", "Spearman rho"), ("lo", "95% low"), ("hi", "95% high"))
        ),
        pl.col("n").alias("Works with both"),
    )


def is_demo(comparison: Comparison) -> bool:
    works = comparison.works
    return "is_demo" in works.columns and bool(works["is_demo"].any())
