from datetime import date

import streamlit as st

from lib import ui
from lib.ui import matching, portfolio, portfolio_exports, weights
from lib.ui.portfolio_forms import build_panel, corrections_panel

st.title("Portfolio")
st.markdown(
    "One person's works with **attention** (news, policy, Wikipedia, social posts, readers) and "
    "**citations** side by side. Attention is attention, not quality; every percentile names the "
    "works it is compared with; a metric no source supplied is **—**, never 0."
)

collection = portfolio.selected_collection()
with st.expander("Build a new portfolio", expanded=collection is None):
    build_panel()
if collection is None:
    st.info("No collection yet: build a portfolio above, or run `triangulate demo`.")
    st.stop()

with st.expander("Attention score weights (adjustable)"):
    weights.weights_editor("pf")
reference = portfolio.reference_picker(collection)
data = portfolio.portfolio_data(collection, reference)
info, meta, table = data.info or {}, data.meta, data.table
ui.demo_banner(bool(info.get("is_demo")))
st.header(ui.plain(meta.get("person") or collection))
facts = [
    f"ORCID {meta['orcid']}" if meta.get("orcid") else None,
    meta.get("field"),
    f"career start {meta['career_start']}" if meta.get("career_start") else None,
    f"data as of {data.newest:%Y-%m-%d}" if data.newest else "nothing fetched yet",
    ", ".join(data.data_dates["label"].to_list()) or None,
]
st.caption(" · ".join(ui.plain(f) for f in facts if f))

waiting = matching.waiting_count(collection)
if waiting:
    with st.expander(f"Review suggested matches ({matching.waiting_text(waiting)})", expanded=True):
        matching.review_panel(collection)

with st.expander("Verify and correct: remove works, add missing ones, mark author position"):
    corrections_panel(collection, data.corrections)

if table.is_empty():
    st.info("This collection has no valid works (or all were removed). Add works above.")
    st.stop()
if data.data_dates.is_empty():
    st.info(
        "Nothing fetched yet for these works: every metric is missing (—), not zero. Fetch with "
        f'`triangulate fetch --collection "{collection}"`.'
    )
elif int(data.data_dates["ok"].sum()) == 0:
    st.warning(
        "Every source failed for these works, so every metric is missing (—), not zero. "
        "The Article page shows each source's error; try again later."
    )

st.subheader("Headline")
portfolio.headline(data.indicators)
with st.expander("All indicators, with what each is based on"):
    st.dataframe(data.indicators.drop("name"), hide_index=True, width="stretch")

st.subheader("Works")
chosen = portfolio.table_filters(table)
sort_col, order_col, columns_col = st.columns([3, 1, 1], vertical_alignment="bottom")
sort_by = sort_col.selectbox(
    "Sort by (missing values last)",
    [
        "citations",
        portfolio.CITATIONS_PERCENTILE,
        "attention_score",
        portfolio.ATTENTION_PERCENTILE,
        "year",
    ],
    format_func={
        "citations": "Citations",
        portfolio.CITATIONS_PERCENTILE: "Citation percentile",
        "attention_score": "Open attention score",
        portfolio.ATTENTION_PERCENTILE: "Attention percentile",
        "year": "Year",
    }.get,
    key="pf_sort",
)
descending = order_col.radio("Order", ["High first", "Low first"], key="pf_order") == "High first"
with columns_col:
    columns = portfolio.column_chooser(table, sort_by)
shown = portfolio.sort_table(portfolio.filter_table(table, chosen), sort_by, descending)
st.caption(
    f"{shown.height:,} of {table.height:,} works. Select a row to open the work. Percentiles are "
    f"among {portfolio.reference_label(data)}: " + "; ".join(portfolio.reference_sets(shown)[:3])
)
picked = portfolio.works_table(shown, portfolio.reference_label(data), columns)
if picked:
    portfolio.open_article(picked)
if not shown.is_empty():
    open_col, button_col = st.columns([4, 1])
    titles = portfolio.work_choice_labels(shown)
    target = open_col.selectbox(
        "Open a work", list(titles), format_func=titles.get, key="pf_open_choice"
    )
    if button_col.button("Open", key="pf_open_button"):
        portfolio.open_article(target)

portfolio.preprints_section(data)

st.subheader("Charts")
scatter_tab, composition_tab, years_tab, bins_tab = st.tabs(
    ["Triangulation", "Attention composition", "Citations per year", "Percentile bins"]
)
with scatter_tab:
    event = st.plotly_chart(
        portfolio.triangulation_figure(
            shown, portfolio.reference_label(data), portfolio.reference_label(data)
        ),
        on_select="rerun",
        selection_mode=("points", "box"),
        key="pf_scatter",
    )
    st.caption(
        "Point size: Mendeley readers. Select a point to open the work. "
        + portfolio.quadrant_note()
    )
    selected = portfolio.scatter_selection(event)
    if selected:
        portfolio.open_article(selected)
with composition_tab:
    st.plotly_chart(
        portfolio.attention_composition_figure(portfolio.attention_composition(shown)),
        key="pf_composition",
    )
with years_tab:
    left, right = st.columns(2)
    left.plotly_chart(
        portfolio.citations_per_year_figure(
            data.per_year, portfolio.source_label(data.per_year_source)
        ),
        key="pf_per_year",
    )
    right.plotly_chart(portfolio.attention_history_figure(data.history), key="pf_history")
with bins_tab:
    left, right = st.columns(2)
    left.plotly_chart(
        portfolio.percentile_bins_figure(
            portfolio.percentile_bins(shown, portfolio.CITATIONS_PERCENTILE),
            f"Citation percentile among {portfolio.reference_label(data)}",
        ),
        key="pf_bins_citations",
    )
    right.plotly_chart(
        portfolio.percentile_bins_figure(
            portfolio.percentile_bins(shown, portfolio.ATTENTION_PERCENTILE),
            f"Attention percentile among {portfolio.reference_label(data)}",
        ),
        key="pf_bins_attention",
    )

st.subheader("In words")
as_of = data.newest.date() if data.newest else date.today()
st.markdown(portfolio.narrative_text(shown, data.indicators, as_of))

st.subheader("Export")
csv_col, xlsx_col, readme_col, html_col = st.columns(4)
csv_col.download_button(
    "Table as CSV",
    portfolio_exports.table_export(collection, "csv", shown, reference),
    file_name=portfolio_exports.download_name(collection, "csv"),
    mime="text/csv",
    key="pf_csv",
)
xlsx_col.download_button(
    "Table as XLSX",
    portfolio_exports.table_export(collection, "xlsx", shown, reference),
    file_name=portfolio_exports.download_name(collection, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="pf_xlsx",
)
readme_col.download_button(
    "README for the CSV (TXT)",
    portfolio_exports.table_export(collection, "readme", shown, reference),
    file_name=portfolio_exports.download_name(collection, "README.txt"),
    mime="text/plain",
    key="pf_readme",
    help="Sources, data dates, reference sets and weights: what the XLSX has on its README sheet.",
)
html_col.download_button(
    "One-page summary (HTML)",
    lambda: portfolio_exports.summary_html(data, collection, shown, as_of),
    file_name=portfolio_exports.download_name(collection, "html"),
    mime="text/html",
    key="pf_html",
)
st.caption(
    "The XLSX has a README sheet (data date per source, reference sets, weights); the CSV opens "
    "as a plain table and its README is the TXT beside it."
)
