from datetime import date

import streamlit as st

from lib import charts, ui
from lib.exports import dossier as report
from lib.ui import portfolio as pf
from lib.ui import weights
from lib.ui.portfolio_forms import build_panel, corrections_panel
from lib.views import portfolio as logic

st.title("Portfolio")
st.markdown(
    "One person's works with **attention** (news, policy, Wikipedia, social posts, readers) and "
    "**citations** side by side. Attention is attention, not quality; every percentile names the "
    "works it is compared with; a metric no source supplied is **—**, never 0."
)

collection = pf.selected_collection()
with st.expander("Build a new portfolio", expanded=collection is None):
    build_panel()
if collection is None:
    st.info("No collection yet: build a portfolio above, or run `triangulate demo`.")
    st.stop()

with st.expander("Attention score weights (adjustable)"):
    weights.weights_editor("pf")
reference = pf.reference_picker(collection)
data = pf.portfolio_data(collection, reference)
info, meta, table = data["info"] or {}, data["meta"], data["table"]
ui.demo_banner(bool(info.get("is_demo")))
st.header(meta.get("person") or collection)
facts = [
    f"ORCID {meta['orcid']}" if meta.get("orcid") else None,
    meta.get("field"),
    f"career start {meta['career_start']}" if meta.get("career_start") else None,
    f"data as of {data['newest']:%Y-%m-%d}" if data["newest"] else "nothing fetched yet",
    ", ".join(data["data_dates"]["label"].to_list()) or None,
]
st.caption(" · ".join(f for f in facts if f))

with st.expander("Verify and correct: remove works, add missing ones, mark author position"):
    corrections_panel(collection, data["corrections"])

if table.is_empty():
    st.info("This collection has no valid works (or all were removed). Add works above.")
    st.stop()
if data["data_dates"].is_empty():
    st.info(
        "Nothing fetched yet for these works: every metric is missing (—), not zero. Fetch with "
        f'`triangulate fetch --collection "{collection}"`.'
    )
elif int(data["data_dates"]["ok"].sum()) == 0:
    st.warning(
        "Every source failed for these works, so every metric is missing (—), not zero. "
        "The Article page shows each source's error; try again later."
    )

st.subheader("Headline")
pf.headline(data["indicators"])
with st.expander("All indicators, with what each is based on"):
    st.dataframe(data["indicators"].drop("name"), hide_index=True, width="stretch")

st.subheader("Works")
chosen = pf.table_filters(table)
sort_col, order_col, columns_col = st.columns([3, 1, 1], vertical_alignment="bottom")
sort_by = sort_col.selectbox(
    "Sort by (missing values last)",
    [
        "citations",
        logic.CITATIONS_PERCENTILE,
        "attention_score",
        logic.ATTENTION_PERCENTILE,
        "year",
    ],
    format_func={
        "citations": "Citations",
        logic.CITATIONS_PERCENTILE: "Citation percentile",
        "attention_score": "Open attention score",
        logic.ATTENTION_PERCENTILE: "Attention percentile",
        "year": "Year",
    }.get,
    key="pf_sort",
)
descending = order_col.radio("Order", ["High first", "Low first"], key="pf_order") == "High first"
with columns_col:
    columns = pf.column_chooser(table, sort_by)
shown = logic.sort_table(logic.filter_table(table, chosen), sort_by, descending)
st.caption(
    f"{shown.height:,} of {table.height:,} works. Select a row to open the work. Percentiles are "
    f"among {pf.reference_label(data)}: " + "; ".join(pf.reference_sets(shown)[:3])
)
picked = pf.works_table(shown, pf.reference_label(data), columns)
if picked:
    pf.open_article(picked)
if not shown.is_empty():
    open_col, button_col = st.columns([4, 1])
    titles = logic.work_choice_labels(shown)
    target = open_col.selectbox(
        "Open a work", list(titles), format_func=titles.get, key="pf_open_choice"
    )
    if button_col.button("Open", key="pf_open_button"):
        pf.open_article(target)

st.subheader("Charts")
scatter_tab, composition_tab, years_tab, bins_tab = st.tabs(
    ["Triangulation", "Attention composition", "Citations per year", "Percentile bins"]
)
with scatter_tab:
    event = st.plotly_chart(
        charts.triangulation_figure(shown, pf.reference_label(data), pf.reference_label(data)),
        on_select="rerun",
        selection_mode=("points", "box"),
        key="pf_scatter",
    )
    st.caption(
        "Point size: Mendeley readers. Select a point to open the work. " + pf.quadrant_note()
    )
    selected = pf.scatter_selection(event)
    if selected:
        pf.open_article(selected)
with composition_tab:
    st.plotly_chart(
        charts.attention_composition_figure(logic.attention_composition(shown)),
        key="pf_composition",
    )
with years_tab:
    left, right = st.columns(2)
    left.plotly_chart(
        charts.citations_per_year_figure(
            data["per_year"], pf.source_label(data["per_year_source"])
        ),
        key="pf_per_year",
    )
    right.plotly_chart(charts.attention_history_figure(data["history"]), key="pf_history")
with bins_tab:
    left, right = st.columns(2)
    left.plotly_chart(
        charts.percentile_bins_figure(
            logic.percentile_bins(shown, logic.CITATIONS_PERCENTILE),
            f"Citation percentile among {pf.reference_label(data)}",
        ),
        key="pf_bins_citations",
    )
    right.plotly_chart(
        charts.percentile_bins_figure(
            logic.percentile_bins(shown, logic.ATTENTION_PERCENTILE),
            f"Attention percentile among {pf.reference_label(data)}",
        ),
        key="pf_bins_attention",
    )

st.subheader("In words")
as_of = data["newest"].date() if data["newest"] else date.today()
st.markdown(pf.narrative_markdown(pf.narrative(shown, data["indicators"], as_of)))

st.subheader("Export")
context = pf.report_context(data, collection)
exported = logic.export_frame(shown)
csv_col, xlsx_col, html_col = st.columns(3)
csv_col.download_button(
    "Table as CSV",
    lambda: report.table_csv(exported, context),
    file_name=pf.download_name(collection, "csv"),
    mime="text/csv",
    key="pf_csv",
)
xlsx_col.download_button(
    "Table as XLSX",
    lambda: report.table_xlsx(exported, context),
    file_name=pf.download_name(collection, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="pf_xlsx",
)
html_col.download_button(
    "One-page summary (HTML)",
    lambda: pf.summary_html(data, collection, shown, as_of),
    file_name=pf.download_name(collection, "html"),
    mime="text/html",
    key="pf_html",
)
st.caption(
    "Exports carry the data date per source, the sources, the reference sets and the weights."
)
