"""The Portfolio page's narrative: dossier sentences for the portfolio and its standout works. Pure."""

from __future__ import annotations

from datetime import date

import polars as pl

from lib.metrics import DossierContext, citation_indicators, dossier_sentences
from lib.views.plain_text import plain
from lib.views.portfolio import ATTENTION_PERCENTILE, CITATIONS_PERCENTILE
from lib.views.works_table import sort_table
from lib.vocabulary import MISSING


def narrative(table: pl.DataFrame, indicators: pl.DataFrame, as_of: date, limit: int = 3) -> str:
    """Dossier sentences for the portfolio and its most cited and most discussed works."""
    context = DossierContext(as_of=as_of)
    lines = dossier_sentences(indicators, context)
    picks = pl.concat(
        [
            sort_table(table, CITATIONS_PERCENTILE).head(limit),
            sort_table(table, ATTENTION_PERCENTILE).head(limit),
        ]
    ).unique("key", keep="first", maintain_order=True)
    if picks.is_empty():
        return "\n".join(lines)
    detail = citation_indicators(picks, today=as_of).select(
        "key", "citation_sources_n", "citations_min", "citations_max", "rcr_provisional"
    )
    for row in picks.join(detail, on="key", how="left").iter_rows(named=True):
        work = dossier_sentences(row, context)
        if work:
            lines.append("")
            lines.append(f"{row['title'] or row['key']} ({row['year'] or MISSING}):")
            lines.extend(work)
    return "\n".join(lines)


def narrative_markdown(text: str) -> str:
    """The narrative as prose: a paragraph for the portfolio, then one per highlighted work with
    its title in bold. Each line is shown as written (`plain`), never as a link or an image."""
    paragraphs = []
    for block in text.split("\n\n"):
        raw = [line for line in block.splitlines() if line.strip()]
        if not raw:
            continue
        # The heading's colon is found before escaping: an escape may turn ":" into "\\:".
        if raw[0].endswith(":") and len(raw) > 1:
            lines = [f"**{plain(raw[0][:-1])}**:", *map(plain, raw[1:])]
        else:
            lines = [plain(line) for line in raw]
        paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)
