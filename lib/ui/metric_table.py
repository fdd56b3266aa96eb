"""Upload page: load any table of per-work metrics, the mapping chosen from the detected columns.

The same path as `triangulate load-metrics FILE --format table`: lib.readers.metric_table reads,
lib.ingest.load_metrics_table stores. Whole-file problems come back as a message, never raise.
"""

from __future__ import annotations

import streamlit as st

from lib import store
from lib.readers import UploadRejected
from lib.readers.metric_table import (
    TableColumns,
    TableMapping,
    check_source_name,
    default_source_name,
    table_columns,
)
from lib.ui import collection_summary, db_path
from lib.vocabulary import METRIC_NAMES, METRICS

NOT_LOADED = "(not loaded)"


@st.cache_data(show_spinner="Reading the columns…", max_entries=8)
def columns_of(data: bytes, filename: str) -> TableColumns | str:
    """The columns and guesses, or the message saying why the file cannot be used."""
    try:
        return table_columns(data, filename)
    except UploadRejected as rejected:
        return str(rejected)


def _metric_label(name: str) -> str:
    return NOT_LOADED if name == NOT_LOADED else f"{METRICS[name].label} ({name})"


def mapping_form(columns: TableColumns, filename: str) -> tuple[TableMapping, str] | None:
    """Widgets for the id column, column -> metric, source, missing-when rule; None until valid."""
    fields = list(columns.fields)
    id_column = st.selectbox(
        "Identifier column (DOIs, PMIDs, PMCIDs, arXiv or OpenAlex ids)",
        fields,
        index=fields.index(columns.id_column) if columns.id_column in fields else 0,
        key="table_id_column",
    )
    st.markdown("**Which column holds which metric** (canonical names; leave others not loaded)")
    options = [NOT_LOADED, *METRIC_NAMES]
    chosen: dict[str, str] = {}
    for column in (c for c in fields if c != id_column):
        guess = columns.guesses.get(column, NOT_LOADED)
        metric = st.selectbox(
            f"Column “{column}”",
            options,
            index=options.index(guess),
            format_func=_metric_label,
            key=f"table_map_{column}",
        )
        if metric != NOT_LOADED:
            chosen[column] = metric
    source = st.text_input(
        "Source name (the values are stored as observations of this source)",
        value=default_source_name(filename),
        key="table_source",
    )
    rule_column = st.selectbox(
        "Rows whose values mean “no data” (optional): when column",
        [NOT_LOADED, *fields],
        format_func=lambda c: "(no rule)" if c == NOT_LOADED else c,
        key="table_rule_column",
    )
    rule_value = st.text_input("… equals (case-insensitive)", value="FALSE", key="table_rule_value")
    collection = st.text_input(
        "Collection name", value=filename.rsplit(".", 1)[0], key="table_collection"
    )
    if not chosen:
        st.info("Map at least one column to a metric.")
        return None
    doubled = sorted({m for m in chosen.values() if list(chosen.values()).count(m) > 1})
    if doubled:
        st.error(f"Each metric once: {', '.join(doubled)} is given by two columns.")
        return None
    try:
        source = check_source_name(source)
    except UploadRejected as rejected:
        st.error(str(rejected))
        return None
    rule = (rule_column, rule_value) if rule_column != NOT_LOADED else None
    return TableMapping(id_column, chosen, source, rule), collection


def load_table(
    data: bytes, filename: str, mapping: TableMapping, collection: str
) -> tuple[dict[str, int], list[str]] | str:
    """Store the values; the counts and per-row problems, or the message saying why not."""
    from lib.ingest import load_metrics_table

    try:
        with store.connect(db_path()) as con:
            result = load_metrics_table(con, data, filename, mapping, collection or None)
    except UploadRejected as rejected:
        return str(rejected)
    collection_summary.clear()
    return result
