"""Portfolio and Article pages: cached loaders and the widgets only these pages use.

Loaders are keyed on the database file's version (its mtimes; a hashed parameter, so a write by
the CLI or an ingest thread invalidates them) and on the attention weights.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import polars as pl
import streamlit as st

from lib import store

# What the Portfolio page draws with, named here so the page reaches everything through lib.ui.
from lib.charts import attention_composition_figure as attention_composition_figure
from lib.charts import attention_history_figure as attention_history_figure
from lib.charts import citations_per_year_figure as citations_per_year_figure
from lib.charts import percentile_bins_figure as percentile_bins_figure
from lib.charts import triangulation_figure as triangulation_figure
from lib.exports.summary import portfolio_html as portfolio_html
from lib.metrics import (
    ATTENTION_INPUTS,
    MIN_COHORT,
    portfolio_indicators,
)
from lib.metrics.triangulation import QUADRANT_DEFINITION
from lib.store.history import attention_history
from lib.ui import COLLECTION_KEY, cache_overview, db_path, settings, version
from lib.ui.weights import current_weights
from lib.views import portfolio as logic
from lib.views import works_table as table_view
from lib.views.narrative import narrative, narrative_markdown
from lib.views.page_models import PortfolioView
from lib.views.portfolio import ATTENTION_PERCENTILE as ATTENTION_PERCENTILE
from lib.views.portfolio import CITATIONS_PERCENTILE as CITATIONS_PERCENTILE
from lib.views.portfolio import attention_composition as attention_composition
from lib.views.portfolio import percentile_bins as percentile_bins
from lib.views.references import cache_references, is_demo_set, reference_noun, reference_place
from lib.views.versions import COMBINED_LABEL, COMBINED_NOTE, load_versions, portfolio_versions
from lib.views.works_table import filter_table as filter_table
from lib.views.works_table import sort_table as sort_table
from lib.views.works_table import work_choice_labels as work_choice_labels
from lib.vocabulary import MISSING, SOURCES

ARTICLE_KEY = "article_key"
HEADLINE = ("works", "citations_total", "h_index", "rcr_median", "top10_share", "attention_median")
# Card-sized names; the full label is the card's help text with the indicator's note.
HEADLINE_LABELS = {
    "works": "Works",
    "citations_total": "Citations",
    "h_index": "h-index",
    "rcr_median": "Median RCR",
    "top10_share": "Top 10 % cited",
    "attention_median": "Median attention",
}


REFERENCE_KEY = "pf_reference"
WHOLE_CACHE = "every work in this cache"


def same_year(reference: str | None, demo: bool = False) -> str:
    """'works of the same year in this cache': the reference set as labels name it."""
    return f"{reference_noun(demo)} of the same year {reference_place(reference, demo)}"


def quadrant_note() -> str:
    """The quadrants' one definition, as every page and report states it."""
    return QUADRANT_DEFINITION


def reference_label(data: PortfolioView) -> str:
    """The reference set of a loaded portfolio, as its labels name it."""
    return same_year(data.reference, data.demo_reference)


def reference_picker(collection: str | None) -> str | None:
    """Which works each work is placed among: the whole cache, or another collection."""
    names = [n for n in cache_overview()["collections_frame"]["name"].to_list() if n != collection]
    choice = st.selectbox(
        "Place each work among works of the same publication year in",
        [WHOLE_CACHE, *names],
        key=REFERENCE_KEY,
        help="The reference set of every percentile, quadrant and dossier sentence on this page. "
        "Real works are placed among real works only, never among the fictional demo works. "
        f"With fewer than {MIN_COHORT} works of a year in the set, no percentile is given.",
    )
    return None if choice == WHOLE_CACHE else choice


@st.cache_data(show_spinner="Loading the portfolio…", max_entries=16)
def _portfolio(
    path: str,
    collection: str,
    weights_json: str,
    data_version: tuple[float, float],
    reference: str | None = None,
) -> PortfolioView:
    weights = json.loads(weights_json) or None
    with store.connect(path) as con:
        info = store.get_collection(con, collection)
        items = store.collection_items(con, collection)
        keys = store.collection_keys(con, collection, include_excluded=True)
        works = store.works_wide(con, keys)
        fetch_log = store.fetch_log_long(con, keys)
        per_year = store.per_year_long(con, keys, "citations")
        history = attention_history(con, keys, ATTENTION_INPUTS)
        demo = is_demo_set(works)
        references = cache_references(con, weights, collection=reference, demo=demo) if keys else {}
        matching = store.match_counts(con, collection)
        links, linked = load_versions(con, keys)
    versions, versions_metric = portfolio_versions(keys, links, linked, works)
    table = logic.portfolio_table(works, items, weights=weights, references=references)
    kept = works.filter(pl.col("key").is_in(table["key"].implode()))
    meta = (info or {}).get("meta") or {}
    indicators = portfolio_indicators(
        kept, career_start=meta.get("career_start"), today=date.today(), weights=weights
    )
    source, per_year_series = logic.citations_by_year(per_year)
    corrections = (
        items.filter(pl.col("status") == "valid")
        .unique("key", keep="first", maintain_order=True)
        .join(works.select("key", "title", "year"), on="key", how="left")
        .select("key", "title", "year", "author_position", "excluded")
    )
    return PortfolioView(
        info=info,
        meta=meta,
        table=table,
        indicators=indicators,
        corrections=corrections,
        items=items.height,
        per_year_source=source,
        per_year=per_year_series,
        history=history,
        data_dates=logic.data_dates(fetch_log),
        composition=logic.attention_composition(table),
        newest=_newest(fetch_log),
        reference=reference,
        matching=matching,
        versions=versions,
        versions_metric=versions_metric,
        demo_reference=demo,
    )


def _newest(fetch_log: pl.DataFrame) -> datetime | None:
    newest = fetch_log["fetched_at"].max() if fetch_log.height else None
    return newest if isinstance(newest, datetime) else None


def portfolio_data(collection: str, reference: str | None = None) -> PortfolioView:
    """Everything the Portfolio page shows for one collection, placed among `reference`."""
    weights_json = json.dumps(current_weights() or {}, sort_keys=True)
    return _portfolio(str(db_path()), collection, weights_json, version(), reference)


def selected_collection() -> str | None:
    """The sidebar's collection; on a page opened directly by URL, the first portfolio."""
    chosen = st.session_state.get(COLLECTION_KEY)
    if chosen:
        return str(chosen)
    frame = cache_overview()["collections_frame"]
    if frame.is_empty():
        return None
    portfolios = frame.filter(pl.col("kind") == "portfolio")
    return str((portfolios if portfolios.height else frame)["name"][0])


def after_write(collection: str | None = None) -> None:
    """Forget cached reads after a write and, for a new portfolio, select it in the sidebar."""
    st.cache_data.clear()
    if collection:
        st.session_state[COLLECTION_KEY] = collection
        st.session_state.pop("sidebar_collection", None)


def reference_sets(table: pl.DataFrame) -> list[str]:
    """The named reference sets the percentiles were computed in (one per year cohort)."""
    names = []
    for column in ("attention_score_cohort", "citations_cohort"):
        names += table[column].drop_nulls().unique(maintain_order=True).to_list()
    return names


def headline(indicators: pl.DataFrame) -> None:
    """The headline indicators, each with its n and coverage under it."""
    rows = {r["name"]: r for r in indicators.iter_rows(named=True)}
    shown = [rows[n] for n in HEADLINE if n in rows]
    for column, row in zip(st.columns(len(shown)), shown, strict=True):
        value = row["value"]
        text = MISSING if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")
        if value is not None and row["name"] == "top10_share":
            text += " %"
        note = f"{row['label']}. {row['note'] or ''}".strip()
        column.metric(HEADLINE_LABELS.get(row["name"], row["label"]), text, help=note)
        column.caption(f"n = {row['n']:,} · {row['coverage']}")


def table_filters(table: pl.DataFrame) -> table_view.TableFilter:
    """Year range, type, author position, quadrant and title search, in one row."""
    options = table_view.filter_options(table)
    years_col, type_col, position_col, quadrant_col, search_col = st.columns([2, 2, 2, 2, 3])
    years = None
    if options["years"] and options["years"][0] < options["years"][1]:
        years = years_col.slider(
            "Year",
            *options["years"],
            value=(options["years"][0], options["years"][1]),
            key="pf_years",
        )
    types = type_col.multiselect("Type", options["types"], key="pf_types")
    positions = position_col.multiselect(
        "Author position", [*logic.AUTHOR_POSITIONS, "unknown"], key="pf_positions"
    )
    quadrants = quadrant_col.multiselect("Quadrant", options["quadrants"], key="pf_quadrants")
    search = search_col.text_input("Search title, DOI, PMID or journal", key="pf_search")
    oa_col, journal_col, field_col = st.columns([2, 4, 3])
    oa = oa_col.multiselect("Open access", options["oa_statuses"], key="pf_oa")
    journals = journal_col.multiselect("Journal", options["journals"], key="pf_journals")
    fields = field_col.multiselect("Field", options["fields"], key="pf_fields")
    return table_view.TableFilter(years, types, positions, quadrants, search, oa, journals, fields)


def column_chooser(table: pl.DataFrame, sort_by: str) -> list[str]:
    """Which columns the works table shows; the title and the sorted-by column always show."""
    options = table_view.optional_columns(table)
    with st.popover("Columns", icon=":material/view_column:"):
        chosen = st.multiselect(
            "Show these columns (the title and the sorted-by column always show)",
            options,
            default=options,
            format_func=lambda c: table_view.COLUMN_NAMES.get(c) or table_view.column_label(c),
            key="pf_columns",
        )
    return table_view.shown_columns(chosen, sort_by)


def _column_config(display: pl.DataFrame, among: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "key": None,
        "title": st.column_config.TextColumn("Title", width="large", pinned=True),
        "year": "Year",
        "type": "Type",
        "author_position": "Author position",
        "doi_url": st.column_config.LinkColumn("DOI", display_text=r"https://doi\.org/(.*)"),
        "pubmed_url": st.column_config.LinkColumn(
            "PubMed", display_text=r"https://pubmed\.ncbi\.nlm\.nih\.gov/(\d+)/"
        ),
        "attention_score": st.column_config.TextColumn(
            "Attention · Open score", help="Attention, not quality.", alignment="right"
        ),
        logic.ATTENTION_PERCENTILE: st.column_config.ProgressColumn(
            "Attention percentile",
            help=f"Among {among} (see the reference set in exports). "
            "Empty bar: not placed (no attention data).",
            min_value=0,
            max_value=100,
            format="%.0f",
        ),
        "citations": st.column_config.TextColumn("Citations", alignment="right"),
        "citation_source": "Citations from",
        logic.CITATIONS_PERCENTILE: st.column_config.ProgressColumn(
            "Citation percentile",
            help=f"Among {among}. Empty bar: no citation count.",
            min_value=0,
            max_value=100,
            format="%.0f",
        ),
        "quadrant": "Quadrant",
        "missing_reason": st.column_config.TextColumn("Why values are missing", width="large"),
    }
    for metric in table_view.metric_columns(display):
        config[metric] = st.column_config.TextColumn(
            table_view.column_label(metric), alignment="right"
        )
    return config


def works_table(
    table: pl.DataFrame,
    among: str = "works of the same year in this cache",
    columns: list[str] | None = None,
) -> str | None:
    """The per-work table; returns the key of the row the reader selected, if any."""
    display = table_view.display_frame(table)
    event = st.container(key="pf_works").dataframe(
        display,
        hide_index=True,
        width="stretch",
        column_config=_column_config(display, among),
        column_order=[c for c in columns if c in display.columns] if columns else None,
        on_select="rerun",
        selection_mode="single-row",
        key="pf_table",
    )
    rows = event.selection.rows if event else []
    return display["key"][rows[0]] if rows else None


def open_article(key: str) -> None:
    """Go to the Article page for one work, with a shareable `?key=` in the URL."""
    st.session_state[ARTICLE_KEY] = key
    st.switch_page("app_pages/article.py", query_params={"key": key})


def scatter_selection(event: Any) -> str | None:
    """The work key of the first point selected in the triangulation scatter."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for point in points:
        custom = point.get("customdata")
        if custom:
            return str(custom[0])
    return None


def narrative_text(table: pl.DataFrame, indicators: pl.DataFrame, as_of: date) -> str:
    """The narrative as the page shows it: prose, every title shown as written (never Markdown)."""
    return narrative_markdown(narrative(table, indicators, as_of))


def source_label(source: str | None) -> str:
    if source is None:
        return "no source"
    return SOURCES[source].label if source in SOURCES else source


def usable_sources() -> tuple[list[str], str]:
    """Web sources a refresh can use now, and why the others cannot."""
    from lib.ingest import WORK_SOURCES

    config = settings()
    usable = [s for s in WORK_SOURCES if s != "altmetric" or config.key_for("altmetric")]
    why = "" if "altmetric" in usable else "Altmetric needs ALTMETRIC_API_KEY."
    return usable, why


def preprints_section(data: PortfolioView) -> None:
    """Works with a preprint: each version's own count and the labelled sum, never merged."""
    versions = data.versions
    if versions.is_empty():
        return
    st.subheader("Preprints")
    label = data.versions_metric or "citations"
    st.caption(f"{label}, per version. {COMBINED_NOTE}")
    st.dataframe(
        versions,
        hide_index=True,
        width="stretch",
        column_config={
            "key": "Work",
            "title": "Title",
            "preprint_key": "Preprint",
            "published": st.column_config.NumberColumn(f"{label}: published", format="%.0f"),
            "preprint": st.column_config.NumberColumn(f"{label}: preprint", format="%.0f"),
            COMBINED_LABEL: st.column_config.NumberColumn(
                f"{label}: published + preprint", format="%.0f"
            ),
        },
        key="portfolio_preprints",
    )
