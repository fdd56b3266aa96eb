import streamlit as st

from lib import ui
from lib.ui import compare, weights

st.title("Compare candidates")
st.markdown(
    "For a promotion or tenure committee: 2 to 12 candidates (each a verified portfolio) side by "
    "side, **field- and year-normalised indicators first**, distributions rather than totals, and "
    "the caveats in view. There is **no overall rank**: candidates stay in the order you pick them."
)
st.page_link(
    "app_pages/compare_groups.py",
    label="Groups mode: compare collections",
    icon=":material/groups:",
)

options = compare.comparable_collections()
if len(options) < 2:
    st.info(
        "Comparing needs at least two collections. Import portfolios, or run `triangulate demo`."
    )
    st.stop()

chosen = st.multiselect(
    "Candidates (collections), 2 to 12",
    list(options),
    default=compare.default_selection(options),
    format_func=options.get,
    max_selections=compare.PICKER_LIMIT,
    key="compare_candidates",
)
compare.remember_selection(chosen)
if len(chosen) < 2:
    st.info("Pick at least two candidates to compare.")
    st.stop()

with st.expander("Career start and field per candidate (stated in every output)", expanded=True):
    st.caption(
        "Defaults come from the collection (as the candidate stated them) or, failing that, from "
        "the data: the first publication year and the most common field. Edit them here."
    )
    candidates = compare.candidate_settings(compare.candidate_defaults(chosen))

with st.expander("Attention score weights (adjustable)"):
    weights.weights_editor("compare")
comparison, figures = compare.comparison(candidates, weights.current_weights())
ui.demo_banner(compare.is_demo(comparison))

compare.responsible_use_panel(comparison)

st.subheader("Candidates")
compare.show_frame(compare.candidates_table(comparison), key="compare_candidates_table")

st.subheader("Indicators side by side")
st.caption("Each cell: the value · n works it rests on. — means no source supplied it, not zero.")
compare.indicator_tables(comparison)

st.subheader("Distributions, not just totals")
for name in ("distribution_citation_percentile", "distribution_rcr", "bins_citation_percentile"):
    st.plotly_chart(figures[name], key=f"compare_{name}")

st.subheader("Attention (attention is not quality)")
compare.group_table(comparison, "attention")
for name in ("distribution_attention_percentile", "bins_attention_percentile", "composition"):
    st.plotly_chart(figures[name], key=f"compare_{name}")

st.subheader("Clinical and policy impact")
compare.group_table(comparison, "clinical")
st.plotly_chart(figures["distribution_apt"], key="compare_distribution_apt")

st.subheader("Triangulation per candidate")
st.caption(
    "Quadrants split each work at the 50th attention and citation percentile; the correlations "
    "use only works with both values, with a 95% bootstrap interval."
)
st.plotly_chart(figures["quadrants"], key="compare_quadrants")
st.plotly_chart(figures["correlations"], key="compare_correlations")
compare.show_frame(compare.correlation_table(comparison), key="compare_correlation_table")

st.subheader("Committee report")
st.caption(
    "The HTML report embeds its charts, opens without a network and prints cleanly to PDF; the "
    "workbook has the indicators, each candidate's works, and the caveats and provenance. Both "
    "include the responsible-use panel and the data date."
)
compare.report_buttons(comparison, figures)
