"""The portfolio summary: one printed page a committee can read, then an appendix with the detail.

Page 1 holds who and what (collection, data date, the demo notice only for demo collections), the
headline indicators, the quadrant counts and the narrative's first sentences. The appendix holds
every chart (each with its numbers beside it), the works table and the provenance. plotly.js is
inlined once, with the first chart, so the file opens offline; print CSS sizes the page for A4 and
Letter alike and keeps each chart and table row whole.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, datetime

import plotly.graph_objects as go
import polars as pl

from lib.exports.charts_html import figure_html
from lib.exports.dossier import ReportContext, provenance_lines
from lib.metrics.triangulation import QUADRANT_DEFINITION, QUADRANTS
from lib.vocabulary import MISSING

# 180 mm: the narrower printable width of A4 (210 mm) and Letter (216 mm) with 12-15 mm margins.
CHART_WIDTH_PX = 680
SUMMARY_SENTENCES = 6
# The page's headline cards plus the normalised medians: what a committee reads first.
SUMMARY_INDICATORS = (
    "works",
    "citations_total",
    "h_index",
    "rcr_median",
    "fwci_median",
    "top10_share",
    "attention_median",
)
CSS = """
/* A document to print and send: light in every viewer (a dark system theme gave dark-on-dark). */
:root { color-scheme: light; background: #FFFFFF; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 760px;
       margin: 1.5em auto; color: #202124; line-height: 1.35; font-size: 14px; }
h1 { font-size: 1.5em; margin: 0 0 0.2em; } h2 { font-size: 1.15em; margin: 0.8em 0 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
td, th { border-bottom: 1px solid #DADCE0; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #F1F3F4; }
td.num { text-align: right; white-space: nowrap; }
.demo { background: #FFF4CE; padding: 0.4em; border-left: 4px solid #E6B800; }
.small { color: #5F6368; font-size: 0.85em; }
.chart { break-inside: avoid; page-break-inside: avoid; margin: 0.6em 0; }
nav ol { margin: 0.2em 0; }
@page { size: auto; margin: 14mm; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  section.appendix { break-before: page; page-break-before: always; }
  tr, .chart, .keep { break-inside: avoid; page-break-inside: avoid; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav { display: none; }
}
"""


def _esc(value: object) -> str:
    return html.escape(MISSING if value is None else str(value))


def _value_text(value: float | None) -> str:
    if value is None:
        return MISSING
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _indicator_rows(indicators: pl.DataFrame, names: Sequence[str] | None = None) -> str:
    frame = indicators
    if names is not None and "name" in indicators.columns:
        order = {n: i for i, n in enumerate(names)}
        frame = indicators.filter(pl.col("name").is_in(list(names))).sort(
            pl.col("name").replace_strict(order, return_dtype=pl.Int32)
        )
    return "".join(
        f"<tr><td>{_esc(r['label'])}</td><td class='num'>{_esc(_value_text(r['value']))}</td>"
        f"<td class='small'>{_esc(r['coverage'] or '')}</td></tr>"
        for r in frame.iter_rows(named=True)
    )


def _quadrant_rows(table: pl.DataFrame) -> str:
    counts = dict(table.group_by("quadrant").len().iter_rows()) if "quadrant" in table else {}
    placed = [(label, counts.get(label, 0)) for label in QUADRANTS.values()]
    unplaced = table.height - sum(n for _, n in placed)
    rows = "".join(
        f"<tr><td>{_esc(label)}</td><td class='num'>{n:,}</td></tr>" for label, n in placed
    )
    return (
        rows
        + f"<tr><td>not placed (a percentile is missing, {MISSING})</td><td class='num'>{unplaced:,}</td></tr>"
    )


def _works_rows(table: pl.DataFrame, limit: int) -> str:
    rows = []
    for row in table.head(limit).iter_rows(named=True):
        cells = [
            row["title"] or row["key"],
            MISSING if row["year"] is None else str(row["year"]),
            MISSING if row.get("citations") is None else f"{row['citations']:,.0f}",
            MISSING if row.get("attention_score") is None else f"{row['attention_score']:,.1f}",
            row.get("quadrant") or MISSING,
        ]
        rows.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>")
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
    """A one-page summary and its appendix, as one self-contained HTML file."""
    who = context.person or context.collection
    title = _esc(f"Portfolio summary: {who}")
    demo = (
        "<p class='demo'>Fictional demo data: every person, work and number here is generated.</p>"
        if context.is_demo
        else ""
    )
    said = [s for s in sentences if s.strip()]
    summary_sentences = "".join(f"<li>{_esc(s)}</li>" for s in said[:SUMMARY_SENTENCES])
    all_sentences = "".join(f"<li>{_esc(s)}</li>" for s in said)
    charts = "\n".join(
        figure_html(f, width=CHART_WIDTH_PX, include_plotlyjs=i == 0) for i, f in enumerate(figures)
    )
    provenance = "".join(f"<li>{_esc(line)}</li>" for line in provenance_lines(context))
    newest = context.data_dates["newest"].max() if context.data_dates.height else None
    dated = (
        f"data as of {newest:%Y-%m-%d}"
        if isinstance(newest, date | datetime)
        else "nothing fetched yet"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{CSS}</style></head><body>
<section class="summary">
<h1>{title}</h1>
<p class="small">Collection “{_esc(context.collection)}” · {_esc(dated)} · generated
{context.generated_at:%Y-%m-%d %H:%M}. Attention is attention, not quality. Percentiles name their
reference set. A metric no source supplied is {MISSING}, never 0. No journal impact factor is used.</p>
{demo}
<nav class="small">Appendix: <a href="#charts">charts</a> · <a href="#sentences">all sentences</a> ·
<a href="#works">works</a> · <a href="#provenance">where the numbers come from</a></nav>
<h2>Headline indicators</h2>
<table class="keep"><tr><th>Indicator</th><th>Value</th><th>Based on</th></tr>
{_indicator_rows(indicators, SUMMARY_INDICATORS)}</table>
<h2>Attention and citations, against the reference median</h2>
<table class="keep"><tr><th>Quadrant</th><th>Works</th></tr>{_quadrant_rows(table)}</table>
<p class="small">{_esc(QUADRANT_DEFINITION)}</p>
<h2>In words</h2><ul>{summary_sentences or "<li>No highlighted works yet.</li>"}</ul>
</section>
<section class="appendix">
<h1>Appendix</h1>
<h2 id="charts">Charts</h2>
{charts}
<h2>All indicators</h2>
<table><tr><th>Indicator</th><th>Value</th><th>Based on</th></tr>{_indicator_rows(indicators)}</table>
<h2 id="sentences">All sentences</h2><ul>{all_sentences or "<li>None.</li>"}</ul>
<h2 id="works">Works (first {works_limit} as sorted on the page)</h2>
<table><tr><th>Title</th><th>Year</th><th>Citations</th><th>Open attention score</th><th>Quadrant</th></tr>
{_works_rows(table, works_limit)}
</table>
<h2 id="provenance">Where the numbers come from</h2><ul class="small">{provenance}</ul>
</section>
</body></html>
"""
