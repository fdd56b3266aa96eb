"""Compare, Groups mode: cached loading and the widgets of the groups comparison page.

The frame of the chosen collections is memoised per (database, names, data version); the
comparison per options too, so changing "treat missing as 0" recomputes statistics, not reads.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from lib import store
from lib.exports.groups import groups_html, groups_xlsx
from lib.metrics.groups import MAX_GROUPS, MIN_GROUPS, GroupOptions
from lib.ui import cache_overview, db_path, version
from lib.views.groups import (
    RESPONSIBLE_USE,
    GroupsComparison,
    build_groups,
    effects_table,
    load_group_frame,
    summary_table,
)

PICKER_LIMIT = MAX_GROUPS
MINIMUM = MIN_GROUPS
STRATA_CHOICES = {
    "Publication year and field": ("year", "field"),
    "Publication year": ("year",),
    "No stratification": (),
}


def collection_options() -> dict[str, str]:
    """Collection name -> picker label (works, kind)."""
    frame = cache_overview()["collections_frame"]
    if frame.is_empty():
        return {}
    return {
        r["name"]: f"{r['name']} · {r['works']:,} works · {r['kind']}"
        for r in frame.sort("name").iter_rows(named=True)
    }


@st.cache_data(show_spinner="Reading the groups…", max_entries=16)
def _group_frame(
    path: str, names: tuple[str, ...], data_version: tuple[float, float]
) -> pl.DataFrame:
    with store.connect(path) as con:
        return load_group_frame(con, list(names))


@st.cache_data(show_spinner="Comparing…", max_entries=16)
def _comparison(
    path: str,
    names: tuple[str, ...],
    data_version: tuple[float, float],
    missing_as_zero: bool,
    strata: tuple[str, ...],
) -> GroupsComparison:
    frame = _group_frame(path, names, data_version)
    return build_groups(frame, list(names), GroupOptions(missing_as_zero, strata))


def comparison(names: list[str], missing_as_zero: bool, strata_label: str) -> GroupsComparison:
    return _comparison(
        str(db_path()), tuple(names), version(), missing_as_zero, STRATA_CHOICES[strata_label]
    )


def responsible_use_panel(result: GroupsComparison) -> None:
    """Always visible: how it was made, what a group difference means, and the warnings."""
    with st.container(border=True):
        st.markdown("#### Responsible use")
        for warning in result.warnings:
            st.warning(warning, icon=":material/warning:")
        st.markdown(RESPONSIBLE_USE)
        st.markdown("\n".join(f"- {line}" for line in result.method))


def sizes_line(result: GroupsComparison) -> str:
    return " · ".join(f"**{g}**: {result.sizes[g]:,} works" for g in result.groups)


def summary_frame(result: GroupsComparison) -> None:
    st.dataframe(summary_table(result), hide_index=True, width="stretch", key="groups_summary")


def effects_frame(result: GroupsComparison) -> None:
    st.dataframe(effects_table(result), hide_index=True, width="stretch", key="groups_effects")


def report_buttons(result: GroupsComparison) -> None:
    html_col, xlsx_col = st.columns(2)
    html_col.download_button(
        "Groups report (HTML)",
        data=lambda: groups_html(result),
        file_name="groups-comparison.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/description:",
        key="groups_download_html",
    )
    xlsx_col.download_button(
        "Groups workbook (XLSX)",
        data=lambda: groups_xlsx(result),
        file_name="groups-comparison.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table:",
        key="groups_download_xlsx",
    )
