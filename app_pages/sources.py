import streamlit as st

from lib import ui
from lib.ui import fetching

st.title("Sources")
st.caption(
    "Where the numbers come from, which sources are usable with this configuration, what they "
    "cover for the selected collection, and how fresh it is."
)

st.subheader("Configured sources")
readiness = fetching.usable_sources()
budgets = fetching.budget_left()
st.dataframe(
    [
        {
            "Source": row["label"],
            "Usable": "yes" if row["usable"] else "no",
            "Why": row["reason"],
            "Budget left": budgets.get(row["name"], "not reported yet"),
            "Base URL": row["base_url"],
        }
        for row in readiness
    ],
    hide_index=True,
    width="stretch",
    key="sources_readiness",
)
st.subheader("Live check")
fetching.doctor_panel()

with st.expander("How to configure keys and a contact address"):
    st.markdown(
        """
Set these in the environment or as flat keys in `.streamlit/secrets.toml` (copy
`.streamlit/secrets.toml.example`); the environment wins. Keys are never shown, logged or exported.

| variable | for |
|---|---|
| `TRIANGULATE_MAILTO` | contact address: Crossref's polite pool, the User-Agent of every request |
| `OPENALEX_API_KEY` | OpenAlex (a free key is required since 13 Feb 2026) |
| `ALTMETRIC_API_KEY` | Altmetric attention data (needed by all users since 10 Nov 2025) |
| `SEMANTIC_SCHOLAR_API_KEY` | optional; without it requests share Semantic Scholar's keyless pool |
| `TRIANGULATE_<SOURCE>_URL` | point a source at a mirror or a local test server |
"""
    )

collection = st.session_state.get(ui.COLLECTION_KEY)
if collection is None:
    st.info("Pick or create a collection to see its coverage and fetch its data.")
    st.stop()

st.subheader(f"Coverage of “{ui.plain(collection)}”")
ui.coverage_section(
    ui.coverage(collection), key_prefix="sources", scope_label=f"“{ui.plain(collection)}”"
)

st.subheader("Fetch and refresh")
keys = ui.collection_work_keys(collection)
if ui.is_demo_collection(collection):
    st.warning(
        "This is a fictional demo collection (DOIs under 10.5555): real sources will report its "
        "works as not found. Import your own list to fetch real data.",
        icon=":material/science:",
    )
fetching.fetch_panel(f"collection:{collection}", keys, key_prefix="sources")
