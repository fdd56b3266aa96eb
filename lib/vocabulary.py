"""The one registry of metric names, categories and sources (DESIGN.md "Metric vocabulary").

Every page, export and chart groups metrics through this module, so a metric added here shows up
everywhere in the same category, with the same label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Category = Literal[
    "citations", "normalised", "usage", "captures", "mentions", "social", "attention"
]

CATEGORIES: tuple[Category, ...] = (
    "citations",
    "normalised",
    "usage",
    "captures",
    "mentions",
    "social",
    "attention",
)

CATEGORY_LABELS: dict[Category, str] = {
    "citations": "Citations",
    "normalised": "Field-normalised citations",
    "usage": "Usage",
    "captures": "Captures",
    "mentions": "Mentions",
    "social": "Social media",
    "attention": "Attention score",
}

# PlumX's Plum Print colours per category (landscape.md §2.2); attention takes Altmetric's red.
CATEGORY_COLOURS: dict[Category, str] = {
    "citations": "#E8731A",
    "normalised": "#B85C14",
    "usage": "#3BA55C",
    "captures": "#8B5FBF",
    "mentions": "#E6B800",
    "social": "#2F7FD1",
    "attention": "#D9352B",
}


@dataclass(frozen=True)
class Metric:
    name: str
    category: Category
    label: str
    description: str
    kind: Literal["count", "ratio", "percentile", "score"] = "count"


def _m(name: str, category: Category, label: str, description: str, kind: str = "count") -> Metric:
    return Metric(name, category, label, description, kind)  # type: ignore[arg-type]


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        _m(
            "citations_openalex", "citations", "Citations (OpenAlex)", "Works citing it in OpenAlex"
        ),
        _m("citations_crossref", "citations", "Citations (Crossref)", "Crossref is-referenced-by"),
        _m("citations_icite", "citations", "Citations (iCite)", "NIH Open Citation Collection"),
        _m("citations_europepmc", "citations", "Citations (Europe PMC)", "Europe PMC citedByCount"),
        _m(
            "citations_semanticscholar",
            "citations",
            "Citations (Semantic Scholar)",
            "Semantic Scholar citationCount",
        ),
        _m("citations_scopus", "citations", "Citations (Scopus)", "From a Scopus export"),
        _m("citations_wos", "citations", "Citations (Web of Science)", "From a WoS export"),
        _m("citations_pmc", "citations", "Citations (PubMed Central)", "PMC citing articles"),
        _m(
            "rcr",
            "normalised",
            "Relative Citation Ratio",
            "iCite RCR: citations per year over the field's expected rate (1.0 = NIH median)",
            "ratio",
        ),
        _m(
            "nih_percentile",
            "normalised",
            "NIH percentile",
            "iCite: percentile of the RCR among NIH-funded papers",
            "percentile",
        ),
        _m(
            "apt",
            "normalised",
            "Approximate Potential to Translate",
            "iCite APT: predicted chance of a later clinical citation",
            "ratio",
        ),
        _m(
            "clinical_citations",
            "normalised",
            "Clinical citations",
            "iCite: citations from clinical articles",
        ),
        _m(
            "fwci",
            "normalised",
            "FWCI",
            "OpenAlex field-weighted citation impact (1.0 = world average for field, year, type)",
            "ratio",
        ),
        _m(
            "citation_percentile",
            "normalised",
            "Citation percentile",
            "OpenAlex citation_normalized_percentile, 0-100",
            "percentile",
        ),
        _m("views", "usage", "Views", "HTML views"),
        _m("downloads", "usage", "Downloads", "PDF and other downloads"),
        _m("mendeley_readers", "captures", "Mendeley readers", "Readers in Mendeley"),
        _m(
            "citeulike_readers",
            "captures",
            "CiteULike readers",
            "Readers in CiteULike (historical)",
        ),
        _m("bookmarks", "captures", "Bookmarks", "Social bookmarks (e.g. Delicious)"),
        _m(
            "news_mentions",
            "mentions",
            "News outlets",
            "News sources mentioning it: Altmetric's API counts distinct outlets "
            "(cited_by_msm_count); an export's 'News mentions' counts stories",
        ),
        _m(
            "blog_mentions",
            "mentions",
            "Blogs",
            "Blogs mentioning it: Altmetric's API counts distinct blogs (cited_by_feeds_count); "
            "an export's 'Blog mentions' and PLOS ALM count posts",
        ),
        _m("policy_mentions", "mentions", "Policy documents", "Policy and guideline sources"),
        _m("patent_mentions", "mentions", "Patents", "Patent citations"),
        _m(
            "wikipedia_mentions",
            "mentions",
            "Wikipedia articles",
            "Distinct Wikipedia articles linking it",
        ),
        _m("peer_review_mentions", "mentions", "Peer review", "F1000, Publons, PubPeer"),
        _m("comments", "mentions", "Comments", "Reader comments on the article page"),
        _m(
            "x_posts",
            "social",
            "X posts",
            "Posts on X (Twitter) linking it (an Explorer export's 'X mentions', PLOS ALM "
            "backtweets)",
        ),
        _m(
            "x_accounts",
            "social",
            "X accounts",
            "Distinct X (Twitter) accounts that posted about it (Altmetric's "
            "cited_by_tweeters_count); not a count of posts",
        ),
        _m("facebook_mentions", "social", "Facebook", "Public Facebook pages"),
        _m("reddit_mentions", "social", "Reddit", "Reddit posts"),
        _m("bluesky_mentions", "social", "Bluesky", "Bluesky posts"),
        _m("video_mentions", "social", "Video", "YouTube and other video"),
        _m(
            "attention_score",
            "attention",
            "Open attention score",
            "Triangulate's open, weighted count of mentions (weights adjustable). Attention, not quality.",
            "score",
        ),
        _m(
            "altmetric_score",
            "attention",
            "Altmetric Attention Score",
            "Altmetric's own score, shown as supplied. Attention, not quality.",
            "score",
        ),
    )
}

METRIC_NAMES: tuple[str, ...] = tuple(METRICS)


def metrics_in(category: Category) -> list[str]:
    """Canonical metric names of one category, in registry order."""
    return [m.name for m in METRICS.values() if m.category == category]


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    web: bool  # fetched from a web API (else loaded from a file export)
    url: str = ""


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("openalex", "OpenAlex", True, "https://openalex.org"),
        Source("icite", "NIH iCite", True, "https://icite.od.nih.gov"),
        Source("crossref", "Crossref", True, "https://www.crossref.org"),
        Source("europepmc", "Europe PMC", True, "https://europepmc.org"),
        Source("semanticscholar", "Semantic Scholar", True, "https://www.semanticscholar.org"),
        Source("altmetric", "Altmetric", True, "https://www.altmetric.com"),
        Source("orcid", "ORCID", True, "https://orcid.org"),
        Source("wikipedia", "Wikipedia", True, "https://www.wikipedia.org"),
        Source("scopus", "Scopus export", False),
        Source("wos", "Web of Science export", False),
        Source("plos_alm", "PLOS ALM (2011)", False, "https://doi.org/10.48550/arXiv.1203.4745"),
        Source("altmetric_explorer", "Altmetric Explorer export", False),
        Source("dimensions", "Dimensions export", False),
        Source("publisher", "Publisher usage report", False),
    )
}

WEB_SOURCES: tuple[str, ...] = tuple(s.name for s in SOURCES.values() if s.web)


MISSING = "—"

MISSING_REASONS: dict[str, str] = {
    "not_fetched": "not fetched yet",
    "not_found": "not found by the source",
    "skipped": "skipped (no usable identifier or no key)",
    "error": "the lookup failed (no answer, or an error from the source)",
    "not_supplied": "the source does not supply this metric",
}

# Which web source can supply which metric: a missing metric is explained by the status of the
# sources that could have supplied it (fetch_log), never filled with 0.
SUPPLIED_BY: dict[str, tuple[str, ...]] = {
    "openalex": ("citations_openalex", "fwci", "citation_percentile"),
    "icite": ("citations_icite", "rcr", "nih_percentile", "apt", "clinical_citations"),
    "crossref": ("citations_crossref",),
    "europepmc": ("citations_europepmc",),
    "semanticscholar": ("citations_semanticscholar",),
    "altmetric": (
        "altmetric_score",
        "news_mentions",
        "blog_mentions",
        "policy_mentions",
        "patent_mentions",
        "wikipedia_mentions",
        "peer_review_mentions",
        "x_accounts",
        "facebook_mentions",
        "reddit_mentions",
        "bluesky_mentions",
        "video_mentions",
        "mendeley_readers",
        "citeulike_readers",
    ),
    "wikipedia": ("wikipedia_mentions",),
    "scopus": ("citations_scopus",),
    "wos": ("citations_wos",),
}


# The one quadrant definition of every page and report: a work's attention percentile and its
# citation percentile, both Hazen percentiles among works of the same publication year in the same
# reference set (lib/metrics/context.py), split at that set's median (percentile 50). The labels
# say only that: "below the median" says nothing about whether a work is cited at all.
QUADRANT_SPLIT = 50.0
ATTENTION_PERCENTILE = "attention_score_percentile"
CITATIONS_PERCENTILE = "citations_percentile"
QUADRANTS = {
    (True, True): "attention ≥ median, citations ≥ median",
    (True, False): "attention ≥ median, citations < median",
    (False, True): "attention < median, citations ≥ median",
    (False, False): "attention < median, citations < median",
}
QUADRANT_DEFINITION = (
    "Quadrants split each work's attention percentile and citation percentile at the median "
    "(percentile 50) of the same reference set: works of the same publication year. "
    "“Citations < median” can still mean a cited work."
)
