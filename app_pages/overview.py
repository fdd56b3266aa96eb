import streamlit as st

from lib import ui

st.title("Triangulate")
st.markdown(
    "Attention (news, policy, Wikipedia, social posts, readers, usage) **beside** traditional and "
    "field-normalised citations, for the same works, so the two can be checked against each other. "
    "Nothing is summed into one opaque number, and a metric no source supplied is shown as "
    "**—**, never as 0."
)

overview = ui.cache_overview()
ui.overview_demo_banner(overview)

works, collections, sources, dated = st.columns(4)
works.metric("Works in the cache", ui.fmt_count(overview["works"]))
collections.metric("Collections", ui.fmt_count(overview["collections"]))
sources.metric("Sources with data", ui.fmt_count(overview["sources"]))
dated.metric(
    "Newest data",
    f"{overview['newest']:%Y-%m-%d}" if overview["newest"] else "—",
    help="Each value keeps its own fetch date; see the Article page for provenance.",
)

st.subheader("Collections")
collections_frame = overview["collections_frame"]
if collections_frame.is_empty():
    st.info("No collections yet. Upload a list of DOIs or PMIDs, or run `triangulate demo`.")
else:
    st.dataframe(
        collections_frame.select("name", "kind", "works", "items", "is_demo", "updated_at"),
        hide_index=True,
        width="stretch",
        column_config={
            "name": "Collection",
            "kind": "Kind",
            "works": st.column_config.NumberColumn("Works", format="%d"),
            "items": st.column_config.NumberColumn("Rows", format="%d"),
            "is_demo": st.column_config.CheckboxColumn("Fictional"),
            "updated_at": st.column_config.DatetimeColumn("Updated", format="YYYY-MM-DD HH:mm"),
        },
        key="overview_collections",
    )

st.subheader("Coverage per source")
collection = st.session_state.get(ui.COLLECTION_KEY)
scope = st.radio(
    "Scope",
    ["Selected collection", "Whole cache"],
    horizontal=True,
    key="overview_scope",
    disabled=collection is None,
)
whole_cache = scope == "Whole cache" or collection is None
ui.coverage_section(
    ui.coverage(None if whole_cache else collection),
    key_prefix="overview",
    scope_label="every work in the cache" if whole_cache else f"“{ui.plain(collection)}”",
)

with st.expander(
    "New here? What to do first",
    expanded=not overview["works"] or overview["demo_works"] >= overview["works"],
):
    st.markdown(
        """
1. **Pick a collection** in the sidebar: a faculty portfolio, a committee candidate, or an upload.
2. **Bring your own list**: `triangulate import FILE --collection NAME` takes DOIs, PMIDs, a Scopus,
   Web of Science or PubMed export, RIS or BibTeX.
3. **Enrich it**: `triangulate fetch --collection NAME` asks OpenAlex, iCite, Crossref, Europe PMC,
   Semantic Scholar and (with a key) Altmetric. Keys and a contact address go in the environment or
   `.streamlit/secrets.toml` (see `.streamlit/secrets.toml.example`).
4. **Read responsibly**: attention is attention, not quality; normalised indicators name their
   reference set; no journal impact factor is ever shown next to a person (DORA, Leiden Manifesto).
"""
    )
