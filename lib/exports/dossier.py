"""The one-page portfolio summary (self-contained HTML, works offline).

The table downloads are made by `lib.exports.tables`, the one writer every download shares.

Every export carries what a reader needs to judge it: the data date per source, the sources, the
attention weights and the reference set each percentile is computed in.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl

from lib.vocabulary import MISSING


@dataclass(frozen=True)
class ReportContext:
    """What every export states besides the numbers."""

    collection: str
    person: str | None
    is_demo: bool
    data_dates: pl.DataFrame  # source, label, oldest, newest, ok, failed
    weights: str  # lib.metrics weights_description
    reference_sets: Sequence[str]
    generated_at: datetime
    # References matched to works (lib/ingest/matching.py): automatic, by_hand, unmatched.
    matching: Mapping[str, int] | None = None


def matching_line(counts: Mapping[str, int] | None) -> str | None:
    """How the works of a reference list were matched; None when none came from one."""
    if not counts or not sum(counts.get(k, 0) for k in ("automatic", "by_hand", "unmatched")):
        return None
    return (
        f"From a reference list: {counts.get('automatic', 0):,} works matched automatically, "
        f"{counts.get('by_hand', 0):,} by hand, {counts.get('unmatched', 0):,} references left "
        "unmatched (not counted here)"
    )


def provenance_lines(context: ReportContext) -> list[str]:
    """Plain lines: collection, data dates per source, reference sets, weights, responsible use."""
    lines = [f"Collection: {context.collection}"]
    if context.person:
        lines.append(f"Person: {context.person}")
    if context.is_demo:
        lines.append("FICTIONAL DEMO DATA: every person, work and number is generated.")
    lines.append(f"Generated: {context.generated_at:%Y-%m-%d %H:%M}")
    if matched := matching_line(context.matching):
        lines.append(matched)
    for row in context.data_dates.iter_rows(named=True):
        lines.append(
            f"Source {row['label']}: fetched {row['oldest']:%Y-%m-%d} to {row['newest']:%Y-%m-%d}, "
            f"{row['ok']:,} works with data, {row['failed']:,} failed"
        )
    if context.data_dates.is_empty():
        lines.append("Sources: nothing fetched yet; every metric is missing, not zero.")
    lines.extend(f"Percentiles among: {name}" for name in context.reference_sets if name)
    lines.append(context.weights)
    lines.append(
        "Attention is attention, not quality. Missing values are empty (not zero). "
        "No journal impact factor is used."
    )
    return lines


def _figure_html(figure: go.Figure, first: bool) -> str:
    # plotly.js is inlined once, with the first chart, so the file works offline.
    return pio.to_html(
        figure, include_plotlyjs=first, full_html=False, config={"displaylogo": False}
    )


def _indicator_rows(indicators: pl.DataFrame) -> str:
    rows = []
    for row in indicators.iter_rows(named=True):
        value = row["value"]
        shown = MISSING if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")
        rows.append(
            "<tr><td>{}</td><td class='num'>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(row["label"]),
                html.escape(shown),
                html.escape(row["coverage"] or ""),
                html.escape(row["note"] or ""),
            )
        )
    return "\n".join(rows)


def _works_rows(table: pl.DataFrame, limit: int) -> str:
    rows = []
    for row in table.head(limit).iter_rows(named=True):
        cells = [
            row["title"] or row["key"],
            MISSING if row["year"] is None else str(row["year"]),
            MISSING if row["citations"] is None else f"{row['citations']:,.0f}",
            MISSING if row["attention_score"] is None else f"{row['attention_score']:,.1f}",
            row["quadrant"] or MISSING,
        ]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    return "\n".join(rows)


def portfolio_html(
    context: ReportContext,
    indicators: pl.DataFrame,
    table: pl.DataFrame,
    figures: Sequence[go.Figure],
    sentences: Sequence[str] = (),
    *,
    works_limit: int = 25,
) -> str:
    """A single self-contained HTML page: provenance, indicators, narrative, charts, top works."""
    title = html.escape(f"Portfolio summary: {context.person or context.collection}")
    demo = (
        "<p class='demo'>Fictional demo data: every person, work and number here is generated.</p>"
        if context.is_demo
        else ""
    )
    charts = "\n".join(_figure_html(f, first=i == 0) for i, f in enumerate(figures))
    narrative = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    provenance = "".join(f"<li>{html.escape(line)}</li>" for line in provenance_lines(context))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; color: #202124; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
td, th {{ border-bottom: 1px solid #DADCE0; padding: 4px 6px; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; white-space: nowrap; }}
.demo {{ background: #FFF4CE; padding: 0.5em; border-left: 4px solid #E6B800; }}
.small {{ color: #5F6368; font-size: 0.85em; }}
</style></head><body>
<h1>{title}</h1>
{demo}
<p class="small">Attention is attention, not quality. Percentiles name their reference set. A metric no
source supplied is shown as {MISSING}, never as 0. No journal impact factor is used.</p>
<h2>Indicators</h2>
<table><tr><th>Indicator</th><th>Value</th><th>Based on</th><th>Note</th></tr>
{_indicator_rows(indicators)}
</table>
<h2>In words</h2><ul>{narrative or "<li>No highlighted works yet.</li>"}</ul>
<h2>Charts</h2>
{charts}
<h2>Works (first {works_limit} as sorted on the page)</h2>
<table><tr><th>Title</th><th>Year</th><th>Citations</th><th>Open attention score</th><th>Quadrant</th></tr>
{_works_rows(table, works_limit)}
</table>
<h2>Where the numbers come from</h2><ul class="small">{provenance}</ul>
</body></html>
"""
