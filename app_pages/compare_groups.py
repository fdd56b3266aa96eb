import streamlit as st

from lib import ui
from lib.ui import groups

st.title("Compare groups")
st.markdown(
    "For research offices and librarians: 2 to 8 collections (a department, the open-access "
    "papers, the preprinted ones...) side by side. Each metric with its coverage, median and "
    "log-mean with 95% intervals, and for each pair an effect size with its interval and a named "
    "test, **raw and stratified by publication year (and field)** so older works do not win by age."
)
st.page_link(
    "app_pages/compare.py",
    label="Compare candidates (people) instead",
    icon=":material/compare_arrows:",
)

options = groups.collection_options()
if len(options) < groups.MINIMUM:
    st.info("Comparing needs at least two collections. Import or load some on the Upload page.")
    st.stop()

chosen = st.multiselect(
    "Groups (collections), 2 to 8",
    list(options),
    format_func=options.get,
    max_selections=groups.PICKER_LIMIT,
    key="groups_chosen",
)
left, right = st.columns(2)
strata = left.radio(
    "Stratify by", list(groups.STRATA_CHOICES), horizontal=True, key="groups_strata"
)
missing_as_zero = right.checkbox(
    "Treat missing as 0 (as many published studies do)",
    value=False,
    key="groups_missing_as_zero",
    help="Off: a work no source gave a value is left out of that metric. Stated in every output.",
)
if len(chosen) < groups.MINIMUM:
    st.info("Pick at least two groups to compare.")
    st.stop()

result = groups.comparison(chosen, missing_as_zero, strata)
ui.demo_banner(result.demo)
st.markdown(groups.sizes_line(result))
groups.responsible_use_panel(result)

st.subheader("Per group")
st.caption(
    "Coverage: share of the group's works with any value (n). Median with a distribution-free "
    "95% interval; mean of log(1 + x) with a 95% interval. — means no source supplied it."
)
groups.summary_frame(result)

st.subheader("Pairs: effect sizes and tests")
st.caption(
    "Ratio of geometric means of (1 + x): above 1, A's typical work has more. Cliff's delta: "
    "P(A > B) − P(A < B). The stratified ratio compares works of the same year (and field) only."
)
groups.effects_frame(result)

st.subheader("Report")
groups.report_buttons(result)
