"""Altmetric Explorer and Dimensions CSV exports: their metric columns as observations.

Column maps (header as exported -> canonical metric). Headers are matched case-insensitively.

Altmetric Explorer (source `altmetric_explorer`):
| Explorer header | canonical |
|---|---|
| Altmetric Attention Score | altmetric_score |
| News mentions | news_mentions |
| Blog mentions | blog_mentions |
| Policy mentions | policy_mentions |
| Patent mentions | patent_mentions |
| X mentions, Twitter mentions | x_posts |
| Facebook mentions | facebook_mentions |
| Wikipedia mentions | wikipedia_mentions |
| Reddit mentions | reddit_mentions |
| Video mentions | video_mentions |
| Bluesky mentions | bluesky_mentions |
| Peer review mentions | peer_review_mentions |
| Mendeley readers, Number of Mendeley readers | mendeley_readers |

Dimensions (source `dimensions`): `RCR` -> rcr, `Altmetric` -> altmetric_score.

No canonical name (kept in the row's original columns, carried to exports, not observations):
Explorer `Dimensions citations` / `Number of Dimensions citations` and Dimensions `Times cited`
(the vocabulary has no `citations_dimensions`; they map to it as soon as it is added), Dimensions
`FCR` (field citation ratio: Dimensions' own normalisation, not OpenAlex's FWCI), and Explorer
counts of retired or uncategorised platforms (Google+, Weibo, LinkedIn, Pinterest, F1000, Q&A,
Syllabi).
"""

from __future__ import annotations

from lib.readers.delimited import read_delimited
from lib.readers.result import ReadResult
from lib.readers.tabular import normalise_header, table_result
from lib.vocabulary import METRICS

ALTMETRIC_EXPLORER_COLUMNS: dict[str, str] = {
    "altmetric attention score": "altmetric_score",
    "news mentions": "news_mentions",
    "blog mentions": "blog_mentions",
    "policy mentions": "policy_mentions",
    "patent mentions": "patent_mentions",
    "x mentions": "x_posts",
    "twitter mentions": "x_posts",
    "facebook mentions": "facebook_mentions",
    "wikipedia mentions": "wikipedia_mentions",
    "reddit mentions": "reddit_mentions",
    "video mentions": "video_mentions",
    "bluesky mentions": "bluesky_mentions",
    "peer review mentions": "peer_review_mentions",
    "mendeley readers": "mendeley_readers",
    "number of mendeley readers": "mendeley_readers",
    "dimensions citations": "citations_dimensions",
    "number of dimensions citations": "citations_dimensions",
}

DIMENSIONS_COLUMNS: dict[str, str] = {
    "times cited": "citations_dimensions",
    "rcr": "rcr",
    "altmetric": "altmetric_score",
}

UNMAPPED_NOTE = {
    "altmetric_explorer": "Dimensions citations have no canonical metric yet; kept as original columns.",
    "dimensions": "Times cited and FCR have no canonical metric (FCR is Dimensions' own field "
    "ratio, not FWCI); kept as original columns.",
}


def is_altmetric_explorer(columns: list[str]) -> bool:
    names = {normalise_header(c) for c in columns}
    return "altmetric attention score" in names and ("doi" in names or "details page url" in names)


def is_dimensions(columns: list[str]) -> bool:
    names = {normalise_header(c) for c in columns}
    return (
        "dimensions url" in names or ({"times cited", "fcr"} <= names) or "publication id" in names
    )


def skip_preamble(text: str) -> str:
    """Dimensions puts an 'About the data: Exported on ...' line above the header."""
    first, _, rest = text.partition("\n")
    return rest if first.lstrip('"').startswith("About the data") else text


def metric_columns(
    columns: list[str], mapping: dict[str, str], source: str
) -> dict[str, tuple[str, str]]:
    """metric -> (column, source) for the mapped headers the file has and the vocabulary knows."""
    found: dict[str, tuple[str, str]] = {}
    for column in columns:
        metric = mapping.get(normalise_header(column))
        if metric in METRICS and metric not in found:
            found[metric] = (column, source)
    return found


def read_metric_export(text: str, source: str, delimiter: str = ",") -> ReadResult:
    """An Altmetric Explorer (`altmetric_explorer`) or Dimensions (`dimensions`) CSV export."""
    table, _, warnings = read_delimited(skip_preamble(text), delimiter)
    mapping = ALTMETRIC_EXPLORER_COLUMNS if source == "altmetric_explorer" else DIMENSIONS_COLUMNS
    metrics = metric_columns(table.columns, mapping, source)
    fmt = source.replace("_", "-")
    return table_result(
        table,
        fmt,
        metric_columns=metrics,
        warnings=warnings,
        notes=[UNMAPPED_NOTE[source]],
    )
