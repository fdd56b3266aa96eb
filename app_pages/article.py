import streamlit as st

from lib import ui
from lib.ui import article
from lib.vocabulary import MISSING, SOURCES

st.title("Article")
key = article.article_key()
if not key:
    st.info(
        "No work chosen. Open one from the Portfolio page (select a row or a point), or add "
        "`?key=<DOI or pmid:NNN>` to this page's address."
    )
    article.work_picker(st.session_state.get(ui.COLLECTION_KEY))
    st.stop()

data = article.article_data(key)
work = data.work
if not data.known:
    st.warning(
        f"“{ui.plain(key)}” is not in the cache: nothing has been imported or fetched for it yet."
    )
    article.refresh_button(key)
    st.stop()

ui.demo_banner(bool(work.get("is_demo")))
st.header(ui.plain(work.get("title") or key))
st.caption(
    " · ".join(
        ui.plain(v)
        for v in (work.get("journal"), work.get("year"), work.get("type"), work.get("oa_status"))
        if v
    )
)

st.subheader("Identifiers")
links = {
    "DOI": (work.get("doi"), "https://doi.org/{}"),
    "PMID": (work.get("pmid"), "https://pubmed.ncbi.nlm.nih.gov/{}/"),
    "PMCID": (work.get("pmcid"), "https://www.ncbi.nlm.nih.gov/pmc/articles/{}/"),
    "arXiv": (work.get("arxiv"), "https://arxiv.org/abs/{}"),
    "OpenAlex": (work.get("openalex"), "https://openalex.org/{}"),
}
st.markdown(
    " · ".join(
        f"**{label}** [{value}]({url.format(value)})" if value else f"**{label}** {MISSING}"
        for label, (value, url) in links.items()
    )
)
article.refresh_button(key)

st.subheader("Attention, in context")
score = work.get("attention_score")
percentile = work.get("attention_score_percentile")
left, right, altmetric = st.columns(3)
left.metric(
    "Open attention score",
    MISSING if score is None else f"{score:,.1f}",
    help="Triangulate's open weighted count of mentions. Attention, not quality.",
)
right.metric(
    "Attention percentile",
    MISSING if percentile is None else f"{percentile:.0f}",
    help="Hazen percentile among the reference set named below.",
)
altmetric_score = work.get("altmetric_score")
altmetric.metric(
    "Altmetric Attention Score",
    MISSING if altmetric_score is None else f"{altmetric_score:,.0f}",
    help="Shown as Altmetric supplied it; only when Altmetric answered.",
)
st.caption(article.percentile_note(work, "attention_score", "attention"))
st.plotly_chart(article.attention_composition_figure(data.composition), key="article_attention")

st.subheader("Citations from each source")
citations = data.citations
if citations.is_empty():
    st.info("No source has supplied a citation count for this work (missing, not zero).")
else:
    st.plotly_chart(article.citation_sources_figure(citations), key="article_citations")
    st.markdown(
        "**Why the counts differ.** Each database indexes a different set of citing works, "
        "counts a citation by its own rules, and updates on its own schedule:"
    )
    for source in citations["source"].unique(maintain_order=True).to_list():
        note = article.CITATION_SOURCE_NOTES.get(source)
        if note:
            st.markdown(f"- {note}")
st.caption(
    article.percentile_note(work, "citations", "citation")
    + f" Count from {work.get('citation_source') or MISSING}."
)

if data.versions:
    st.subheader("Versions: preprint and published")
    st.caption(article.VERSIONS_NOTE)
    for pair, values in data.versions:
        article.version_pair(pair, values, key)

st.subheader("Every metric from every source")
st.dataframe(
    data.observations,
    hide_index=True,
    width="stretch",
    column_config={
        "category": "Category",
        "metric": "Metric",
        "source_label": "Source",
        "value": st.column_config.TextColumn("Value"),
        "as_of": st.column_config.DatetimeColumn("As of", format="YYYY-MM-DD"),
        "status": "Fetch status",
    },
    key="article_observations",
)
st.markdown("**Fetch outcome per source** (what separates missing from zero)")
if data.statuses.is_empty():
    st.info("No source has been asked about this work yet: every metric is missing, not zero.")
else:
    st.dataframe(
        data.statuses,
        hide_index=True,
        width="stretch",
        column_config={
            "source_label": "Source",
            "status": "Status",
            "meaning": "Meaning",
            "http_status": "HTTP",
            "fetched_at": st.column_config.DatetimeColumn("Fetched", format="YYYY-MM-DD HH:mm"),
            "message": "Message",
        },
        key="article_statuses",
    )

st.subheader("Where it is mentioned")
article.mentions_list(data)

st.subheader("Per year")
st.plotly_chart(article.per_year_figure(data.per_year), key="article_per_year")
if data.history.height:
    with st.expander("Our snapshots of every value over time"):
        st.dataframe(data.history, hide_index=True, width="stretch")

st.subheader("Raw responses")
if not data.raw:
    st.caption("No stored response for this work (demo data and file imports have none).")
for raw in data.raw:
    with st.expander(ui.plain(raw["title"])):
        st.caption(ui.plain(raw["request"]))
        if raw["json"] is not None:
            st.json(raw["json"], expanded=False)
        else:
            st.code(raw["text"] or "", language=None)
st.caption(
    "Sources: " + ", ".join(s.label for s in SOURCES.values() if s.web and s.name != "orcid") + "."
)
