"""Article page: one work's provenance, loaded once per state of the cache."""

from __future__ import annotations

import json
from typing import Any

import polars as pl
import streamlit as st

from lib import store

# What the Article page draws with, named here so the page reaches everything through lib.ui.
from lib.charts import attention_composition_figure as attention_composition_figure
from lib.charts import citation_sources_figure as citation_sources_figure
from lib.charts import per_year_figure as per_year_figure
from lib.metrics import with_attention_score, with_citations
from lib.metrics.context import too_small_reason
from lib.sources.redaction import redact_secrets
from lib.ui import db_path, plain, settings, version
from lib.ui.portfolio import ARTICLE_KEY, after_write, usable_sources
from lib.ui.weights import current_weights
from lib.views import portfolio as logic
from lib.views.display import metric_value_text, text_or_missing
from lib.views.page_models import ArticleView
from lib.views.references import cache_references, is_demo_set
from lib.views.versions import (
    COMBINED_LABEL,
    COMBINED_NOTE,
    VersionPair,
    load_versions,
    pairs_for,
    side_by_side,
)
from lib.vocabulary import CATEGORY_LABELS, METRICS, MISSING, MISSING_REASONS, SOURCES, metrics_in

# Why citation counts for one work differ between databases: what each indexes, what it counts
# as a citation, and how far behind it runs. Plain words for the reader, hedged where it varies.
CITATION_SOURCE_NOTES = {
    "openalex": "OpenAlex: a broad open index of scholarly works of every kind (articles, "
    "preprints, books, theses); counts a citation from any work it has indexed; refreshed "
    "continuously, typically days behind.",
    "crossref": "Crossref: counts only citations from works whose publishers deposit their "
    "reference lists with Crossref, so citing works from other publishers are missed; updates "
    "as publishers deposit.",
    "icite": "NIH iCite: the NIH Open Citation Collection, citations among PubMed-indexed "
    "(biomedical) works only; updated about monthly.",
    "europepmc": "Europe PMC: citing articles within Europe PMC's life-science literature, "
    "including PMC full texts; narrower than the general indexes.",
    "semanticscholar": "Semantic Scholar: its own corpus across fields, with references "
    "extracted from PDFs, which can both add and miss citations; updated periodically.",
    "scopus": "Scopus (from a file export): a curated selection of journals and books; counts "
    "as of the export date.",
    "wos": "Web of Science (from a file export): a curated selection of journals; counts as of "
    "the export date.",
}


def article_key() -> str | None:
    """The work to show: the URL's `?key=` (shareable) wins, else the one chosen on another page."""
    from_url = st.query_params.get("key")
    if from_url:
        st.session_state[ARTICLE_KEY] = from_url
        return from_url
    chosen = st.session_state.get(ARTICLE_KEY)
    if chosen:
        st.query_params["key"] = chosen
    return chosen


def _labelled(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        source_label=pl.col("source").replace_strict(
            {k: v.label for k, v in SOURCES.items()}, default=pl.col("source")
        )
    )


def _observations(observations: pl.DataFrame, fetch_log: pl.DataFrame) -> pl.DataFrame:
    """Every metric from every source with its value, date and the source's fetch status."""
    labels = {m: spec.label for m, spec in METRICS.items()}
    categories = {m: CATEGORY_LABELS[spec.category] for m, spec in METRICS.items()}
    return (
        _labelled(
            observations.join(
                fetch_log.select("source", "status", "fetched_at"), on="source", how="left"
            )
        )
        .select(
            pl.col("metric").replace_strict(categories, default="Other").alias("category"),
            pl.col("metric").replace_strict(labels, default=pl.col("metric")).alias("metric"),
            "source_label",
            metric_value_text("metric", "value").alias("value"),
            "as_of",
            text_or_missing("status"),
        )
        .sort("category", "metric", "source_label")
    )


def _statuses(fetch_log: pl.DataFrame) -> pl.DataFrame:
    reasons = {**MISSING_REASONS, "ok": "has data"}
    return _labelled(fetch_log).select(
        "source_label",
        "status",
        pl.col("status").replace_strict(reasons, default=pl.col("status")).alias("meaning"),
        pl.col("http_status").cast(pl.Int64).cast(pl.String).fill_null(MISSING),
        "fetched_at",
        text_or_missing("message"),
    )


def _raw(raw: pl.DataFrame) -> list[dict[str, Any]]:
    config = settings()
    shown = []
    for row in raw.iter_rows(named=True):
        body = redact_secrets(row["body"], config) or ""
        try:
            parsed: Any = json.loads(body)
        except ValueError:
            parsed = None
        shown.append(
            {
                "title": f"{row['source']} · {row['fetched_at']:%Y-%m-%d %H:%M} · HTTP {row['http_status'] if row['http_status'] is not None else MISSING}",
                "request": redact_secrets(row["request"], config),
                "json": parsed,
                "text": body if parsed is None else None,
            }
        )
    return shown


@st.cache_data(show_spinner="Loading the work…", max_entries=64)
def _article(
    path: str, key: str, weights_json: str, data_version: tuple[float, float]
) -> ArticleView:
    weights = json.loads(weights_json) or None
    with store.connect(path) as con:
        wide = store.works_wide(con, [key])
        observations = store.observations_long(con, [key])
        fetch_log = store.fetch_log_long(con, [key])
        per_year = store.per_year_long(con, [key])
        history = store.observation_history(con, key)
        raw = store.raw_responses(con, key)
        mentions = store.work_mentions(con, key)
        demo = is_demo_set(wide)
        references = cache_references(con, weights, demo=demo) if observations.height else {}
        links, linked = load_versions(con, [key])
    scored = logic.with_percentiles(with_citations(with_attention_score(wide, weights)), references)
    citations = _labelled(
        observations.filter(pl.col("metric").is_in(metrics_in("citations")))
    ).select(pl.col("source_label").alias("label"), "source", "value", "as_of")
    return ArticleView(
        work=scored.row(0, named=True),
        composition=logic.attention_composition(scored),
        known=bool(wide["title"][0] is not None or observations.height or fetch_log.height),
        observations=_observations(observations, fetch_log),
        statuses=_statuses(fetch_log),
        citations=citations,
        per_year=per_year,
        history=history,
        raw=tuple(_raw(raw)),
        mentions=mentions,
        versions=tuple((p, side_by_side(p, linked)) for p in pairs_for(key, links, linked)),
    )


def article_data(key: str) -> ArticleView:
    """Everything the Article page shows for one work."""
    return _article(str(db_path()), key, json.dumps(current_weights() or {}), version())


def mentions_list(data: ArticleView) -> None:
    """The Wikipedia articles (and other pages) behind the mention counts, as links."""
    mentions: pl.DataFrame = data.mentions
    if mentions.is_empty():
        st.caption(
            "No mentioning pages stored for this work (none found, not fetched yet, or the "
            "count came from a source that does not list them)."
        )
        return
    for row in mentions.iter_rows(named=True):
        label = SOURCES[row["source"]].label if row["source"] in SOURCES else row["source"]
        st.markdown(
            f"- [{plain(row['title'])}]({row['url']}) · {label} · links `{row['link']}` · "
            f"fetched {row['fetched_at']:%Y-%m-%d}"
        )


def refresh_button(key: str) -> None:
    """Fetch this work again from every usable source; disabled with the reason when none is."""
    usable, why = usable_sources()
    help_text = (
        f"Asks {', '.join(SOURCES[s].label for s in usable)} again for this work. {why}"
        if usable
        else f"No source can be asked: {why}"
    )
    if st.button("Refresh this work", disabled=not usable, help=help_text, key="article_refresh"):
        from lib.ingest import fetch_works

        with st.spinner("Asking the sources…"):
            summary = fetch_works(db_path(), [key], sources=usable, settings=settings())
        after_write()
        failed = summary.failed_sources
        if failed:
            st.warning(f"These sources failed: {', '.join(failed)}. Earlier values are kept.")
        else:
            st.success("Refreshed.")


@st.cache_data(show_spinner=False, max_entries=16)
def _work_choices(path: str, collection: str, data_version: tuple[float, float]) -> dict[str, str]:
    with store.connect(path) as con:
        keys = store.collection_keys(con, collection)
        works = store.works_frame(con, keys)
    labels = works.select(
        "key",
        label=pl.concat_str(
            pl.col("title").fill_null(pl.col("key")),
            pl.lit(" ("),
            pl.col("year").cast(pl.String).fill_null("year unknown"),
            pl.lit(")"),
        ),
    )
    return dict(labels.iter_rows())


def work_picker(collection: str | None) -> None:
    """Pick a work of the sidebar's collection by title; opening it sets the shareable URL."""
    if not collection:
        return
    choices = _work_choices(str(db_path()), collection, version())
    if not choices:
        return
    chosen = st.selectbox(
        f"Or pick a work of “{plain(collection)}”",
        list(choices),
        index=None,
        format_func=lambda k: choices.get(k, k),
        placeholder="Type to search titles…",
        key="article_pick",
    )
    if chosen:
        st.session_state[ARTICLE_KEY] = chosen
        st.query_params["key"] = chosen
        st.rerun()


VERSIONS_NOTE = COMBINED_NOTE


def version_pair(pair: VersionPair, values: pl.DataFrame, key: str) -> None:
    """One linked version: what it is, where the link comes from, its values beside this work's."""
    other = pair.preprint_key if pair.published_key == key else pair.published_key
    role = "Preprint" if other == pair.preprint_key else "Published version"
    title = f" — {plain(pair.title)}" if pair.title and other == pair.preprint_key else ""
    venue = f" ({plain(pair.venue)}, {pair.year})" if pair.venue and pair.year else ""
    st.markdown(f"**{role}:** [{other}](?key={other}){title}{venue}")
    st.caption(f"Linked by {pair.sources}: {pair.evidence}. Status: {pair.status}.")
    if pair.status == "retracted":
        st.error("One of the two versions is marked retracted.", icon=":material/report:")
    elif pair.status == "not in the cache":
        st.warning(
            "The linked work is not in the cache yet (fetch again, or the source does not know "
            "it): its values are missing, not zero.",
            icon=":material/help:",
        )
    if values.is_empty():
        st.info("Neither version has a count yet (missing, not zero).")
        return
    st.dataframe(
        values,
        hide_index=True,
        width="stretch",
        column_config={
            "metric": "Metric",
            "published": st.column_config.NumberColumn("Published", format="%.0f"),
            "preprint": st.column_config.NumberColumn("Preprint", format="%.0f"),
            COMBINED_LABEL: st.column_config.NumberColumn(
                "Published + preprint (labelled sum)", format="%.0f"
            ),
        },
        key=f"article_versions_{other}",
    )


def percentile_note(work: dict[str, Any], measure: str, what: str) -> str:
    """Where a work's percentile of one measure comes from, or why none is given."""
    cohort = work.get(f"{measure}_cohort")
    if cohort is None:
        return f"No {what} percentile: no {what} data or no publication year known."
    if work.get(f"{measure}_percentile") is None:
        reason = too_small_reason(work.get(f"{measure}_cohort_n"))
        return f"{what.capitalize()} percentile {reason} ({cohort})."
    return f"{what.capitalize()} percentile {work[f'{measure}_percentile']:.0f} among {cohort}."
