"""The committee report: one self-contained HTML file (prints to PDF) and one XLSX workbook.

Both carry the candidates' stated career start and field, the responsible-use panel (warnings,
caveats, reference sets, coverage per source per candidate) and the data date. The HTML inlines
plotly.js once so it opens offline; every chart's numbers are also in a table, so nothing is
available only by hovering, and print CSS keeps sections and charts whole on paper.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from datetime import datetime

import plotly.graph_objects as go
import polars as pl
import xlsxwriter

from lib.exports import neutralise_formulas
from lib.exports.charts_html import figure_html
from lib.exports.tables import number_format, spreadsheet_values
from lib.views.candidates import Comparison
from lib.views.compare import GROUPS, candidate_labels, format_value
from lib.vocabulary import METRIC_NAMES, METRICS, MISSING, SOURCES, WEB_SOURCES

# Fits the printable width of A4 and of Letter landscape (279 mm - 24 mm margins = ~960 px).
REPORT_WIDTH = 940
WORK_COLUMNS = (
    "key",
    "doi",
    "pmid",
    "title",
    "journal",
    "year",
    "type",
    "field",
    "oa_status",
    "citations",
    "citation_source",
    "attention_percentile",
    "attention_cohort",
)
PRINT_CSS = """
/* A document to print and send: light in every viewer (a dark system theme gave dark-on-dark). */
:root { color-scheme: light; background: #FFFFFF; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1040px;
       margin: 1.5em auto; color: #202124; line-height: 1.35; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #202124; padding-bottom: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; margin: 0.4em 0 1em; }
td, th { border-bottom: 1px solid #DADCE0; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #F1F3F4; }
td.v { text-align: right; white-space: nowrap; }
td.v small { display: block; color: #5F6368; }
table.normalised { font-size: 0.95em; } table.normalised th { background: #DCE8F7; }
table.raw { color: #3C4043; font-size: 0.8em; }
.panel { border: 2px solid #B85C14; padding: 0.4em 1em; background: #FFF8F1; }
.warning { border-left: 4px solid #E6B800; background: #FFF4CE; padding: 0.3em 0.6em; margin: 0.3em 0; }
.demo { background: #FFF4CE; padding: 0.5em; border-left: 4px solid #E6B800; }
.small { color: #5F6368; font-size: 0.85em; }
.chart { page-break-inside: avoid; break-inside: avoid; margin-bottom: 0.6em; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  section { page-break-before: always; break-before: page; }
  section.first { page-break-before: avoid; break-before: avoid; }
  table, tr, .panel { page-break-inside: avoid; break-inside: avoid; }
  th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _esc(value: object) -> str:
    return html.escape(MISSING if value is None else str(value))


def _table(frame: pl.DataFrame, css: str = "") -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in row) + "</tr>" for row in frame.iter_rows()
    )
    return f"<table class='{css}'><tr>{head}</tr>{body}</table>"


def _indicator_table(comparison: Comparison, group: str) -> str:
    """Indicators of one group: value, then n and coverage in small print, per candidate."""
    frame = comparison.indicators.filter(pl.col("group") == group)
    if frame.is_empty():
        return ""
    labels = candidate_labels(comparison)
    head = "<th>Indicator</th>" + "".join(f"<th>{_esc(label)}</th>" for _, label in labels)
    cells = {(r["candidate"], r["name"]): r for r in frame.iter_rows(named=True)}
    rows = []
    for name, label in frame.select("name", "label").unique(maintain_order=True).iter_rows():
        tds = []
        for candidate, _ in labels:
            r = cells.get((candidate, name))
            shown = format_value(name, r["value"]) if r else MISSING
            basis = r["coverage"] if r else "no works"
            tds.append(f"<td class='v'>{_esc(shown)}<small>{_esc(basis)}</small></td>")
        rows.append(f"<tr><td>{_esc(label)}</td>{''.join(tds)}</tr>")
    return f"<table class='{group}'><tr>{head}</tr>{''.join(rows)}</table>"


def candidates_table(comparison: Comparison) -> pl.DataFrame:
    """The settings every output states: candidate, collection, career start, field, and where from."""
    return pl.DataFrame(
        [
            {
                "Candidate": label,
                "Collection": c.name,
                "Career start": str(c.career_start) if c.career_start else MISSING,
                "Career start from": c.career_start_origin,
                "Field": c.field or MISSING,
                "Field from": c.field_origin,
            }
            for c, (_, label) in zip(
                comparison.candidates, candidate_labels(comparison), strict=True
            )
        ]
    )


def coverage_table(comparison: Comparison) -> pl.DataFrame:
    """Coverage per source per candidate as text, missing dates as —."""
    labels = dict(candidate_labels(comparison))
    frame = comparison.coverage
    if frame.is_empty():
        return pl.DataFrame({"Candidate": ["all"], "Source": ["nothing fetched yet"]})
    dates = [
        pl.col(c).dt.strftime("%Y-%m-%d").fill_null(MISSING).alias(f"{c} fetch")
        for c in ("oldest", "newest")
        if c in frame.columns
    ]
    return frame.select(
        pl.col("candidate").replace_strict(labels, default=pl.col("candidate")).alias("Candidate"),
        pl.col("source")
        .replace_strict({k: v.label for k, v in SOURCES.items()}, default=pl.col("source"))
        .alias("Source"),
        pl.col("ok").alias("has data"),
        "not_found",
        "skipped",
        "error",
        "not_fetched",
        *dates,
    )


def _panel(comparison: Comparison) -> str:
    warnings = "".join(f"<div class='warning'>{_esc(w)}</div>" for w in comparison.warnings)
    caveats = "".join(f"<li>{_esc(c)}</li>" for c in comparison.caveats)
    return (
        f"<div class='panel'><h3>Responsible use</h3>{warnings}<ul>{caveats}</ul>"
        f"<p class='small'>{_esc(comparison.weights_note)}</p>"
        "<h4>Reference set of each normalised indicator</h4>"
        f"{_table(comparison.reference_sets)}"
        "<h4>Coverage and missing data per source per candidate (works by fetch status)</h4>"
        f"{_table(coverage_table(comparison))}</div>"
    )


def _missing_note(comparison: Comparison, measure: str) -> str:
    labels = dict(candidate_labels(comparison))
    rows = comparison.missing.filter(pl.col("measure") == measure).iter_rows(named=True)
    parts = [f"{labels[r['candidate']]} {r['missing']:,} of {r['works']:,}" for r in rows]
    return f"<p class='small'>Works without a value (not plotted, not counted as 0): {_esc('; '.join(parts))}.</p>"


def _share_table(frame: pl.DataFrame, column: str, labels: dict[str, str]) -> str:
    """Candidates as rows, `column` values as columns, cells "share% (count)": the chart's numbers."""
    if frame.is_empty():
        return ""
    cells = frame.with_columns(
        pl.col("candidate").replace_strict(labels).alias("Candidate"),
        pl.when(pl.col("share").is_not_null())
        .then(pl.format("{}% ({})", pl.col("share").round(0).cast(pl.Int64), pl.col("count")))
        .otherwise(pl.lit(MISSING))
        .alias("cell"),
    )
    wide = cells.pivot(on=column, index="Candidate", values="cell", maintain_order=True)
    return _table(wide.fill_null(MISSING))


def _bins_table(comparison: Comparison, measure: str) -> str:
    labels = dict(candidate_labels(comparison))
    bins = comparison.bins.filter(pl.col("measure") == measure)
    return _share_table(bins.rename({"works": "count"}), "bin", labels)


def _composition_table(comparison: Comparison) -> str:
    labels = dict(candidate_labels(comparison))
    frame = comparison.composition.filter(pl.col("total").sum().over("metric") > 0)
    frame = frame.with_columns(
        pl.col("metric").replace_strict({m: METRICS[m].label for m in METRICS}),
        pl.col("total").round(1).alias("count"),
    )
    return _share_table(frame, "metric", labels)


def _triangulation_tables(comparison: Comparison) -> str:
    labels = dict(candidate_labels(comparison))
    quadrant = (
        comparison.quadrant_counts.with_columns(
            pl.col("candidate").replace_strict(labels).alias("Candidate"),
            pl.col("quadrant").fill_null(f"{MISSING} (a percentile is missing)"),
        )
        .pivot(on="quadrant", index="Candidate", values="works")
        .fill_null(0)
    )
    correlation = comparison.correlations.select(
        pl.col("candidate").replace_strict(labels).alias("Candidate"),
        pl.col("pair").alias("Pair"),
        *(
            pl.col(c).round(2).cast(pl.String).fill_null(MISSING).alias(c)
            for c in ("rho", "lo", "hi")
        ),
        pl.col("n").alias("n (works with both)"),
    )
    return _table(quadrant) + _table(correlation)


def committee_html(comparison: Comparison, figures: Mapping[str, go.Figure]) -> str:
    """The whole comparison as one self-contained, printable HTML page."""
    is_demo = "is_demo" in comparison.works.columns and bool(comparison.works["is_demo"].any())
    dated = f"{comparison.data_date:%Y-%m-%d}" if comparison.data_date else MISSING
    charts = iter(range(len(figures)))

    def chart(key: str) -> str:
        return (
            figure_html(figures[key], width=REPORT_WIDTH, include_plotlyjs=next(charts) == 0)
            if key in figures
            else ""
        )

    groups = "".join(
        f"<h3>{_esc(GROUPS[g])}</h3>{table}"
        for g in GROUPS
        if g not in ("attention", "clinical") and (table := _indicator_table(comparison, g))
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Committee comparison</title>
<style>{PRINT_CSS}</style></head><body>
<section class="first">
<h1>Committee comparison of {len(comparison.candidates)} candidates</h1>
<p class="small">Generated {datetime.now():%Y-%m-%d %H:%M}; data as of {dated}; career ages to {comparison.today:%Y-%m-%d}.
Candidates appear in the order the committee chose; there is no overall rank.</p>
{"<p class='demo'>Fictional demo data: every person, work and number here is generated.</p>" if is_demo else ""}
<h2>Candidates, career start and field</h2>{_table(candidates_table(comparison))}
{_panel(comparison)}
</section>
<section><h2>Indicators side by side</h2>
<p class="small">Each cell: the value, then how many works it rests on. {MISSING} means no source supplied it.</p>
{groups}</section>
<section><h2>Distributions, not just totals</h2>
{chart("distribution_citation_percentile")}{_missing_note(comparison, "citation_percentile")}
{chart("distribution_rcr")}{_missing_note(comparison, "rcr")}
{chart("bins_citation_percentile")}{_bins_table(comparison, "citation_percentile")}
</section>
<section><h2>Attention (attention is not quality)</h2>
{_indicator_table(comparison, "attention")}
{chart("distribution_attention_percentile")}{_missing_note(comparison, "attention_percentile")}
{chart("bins_attention_percentile")}{_bins_table(comparison, "attention_percentile")}
{chart("composition")}
<p class="small">Share of the open attention score (points) per source.</p>{_composition_table(comparison)}
</section>
<section><h2>Clinical and policy impact</h2>
{_indicator_table(comparison, "clinical")}
{chart("distribution_apt")}{_missing_note(comparison, "apt")}
</section>
<section><h2>Triangulation per candidate</h2>
{chart("quadrants")}{chart("correlations")}{_triangulation_tables(comparison)}
</section>
</body></html>
"""


def _sheet_name(index: int, label: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", f"Works {index} {label}")[:31].strip()
    used.add(base)
    return base


def works_sheet(comparison: Comparison, candidate: str) -> pl.DataFrame:
    """One candidate's works: metadata, chosen citations, every metric with a value, statuses."""
    works = comparison.works.filter(pl.col("candidate") == candidate)
    metrics = [
        m for m in METRIC_NAMES if m in works.columns and works[m].null_count() < works.height
    ]
    statuses = [f"{s}_status" for s in WEB_SOURCES if f"{s}_status" in works.columns]
    present = [c for c in WORK_COLUMNS if c in works.columns]
    return works.select(*present, *[m for m in metrics if m not in present], *statuses)


def _write_sheet(workbook: xlsxwriter.Workbook, frame: pl.DataFrame, name: str) -> None:
    """A sheet from a frame, with every missing cell written as — (not left blank, not 0).

    Text a spreadsheet would run as a formula gets a leading ' (lib.exports), and the workbook
    stores strings as strings (strings_to_formulas off), so a title like "=HYPERLINK(...)" stays text.
    """
    frame = spreadsheet_values(neutralise_formulas(frame))
    formats = {c: f for c, t in frame.schema.items() if (f := _format(c, t, frame)) is not None}
    frame.write_excel(
        workbook,
        worksheet=name,
        autofit=frame.width <= 12,
        column_formats=formats,  # type: ignore[arg-type]
        dtype_formats={pl.Int64: "0", pl.Int32: "0"},  # no thousands separator in years
    )
    sheet = workbook.get_worksheet_by_name(name)
    for col, column in enumerate(frame.columns):
        for row in frame[column].is_null().arg_true().to_list():
            sheet.write_string(row + 1, col, MISSING)


def _format(column: str, dtype: pl.DataType, frame: pl.DataFrame) -> str | None:
    """The number format of a column; the indicators' `value` mixes kinds, so it shows as stored
    (rounded to 2 decimals), a count without decimals and a ratio with its own."""
    if column == "value" and dtype.is_numeric():
        return "General"
    return number_format(column, dtype)


def committee_xlsx(comparison: Comparison) -> bytes:
    """Indicators (one row per candidate and indicator), works per candidate, caveats and provenance."""
    labels = candidate_labels(comparison)
    settings = {c.name: c for c in comparison.candidates}
    indicators = comparison.indicators.select(
        pl.col("candidate").replace_strict(dict(labels)).alias("candidate"),
        pl.col("candidate").alias("collection"),
        pl.col("candidate")
        .replace_strict({n: c.career_start for n, c in settings.items()}, return_dtype=pl.Int64)
        .alias("career_start"),
        pl.col("candidate")
        .replace_strict({n: c.field for n, c in settings.items()}, return_dtype=pl.String)
        .alias("field"),
        pl.col("group").replace_strict(GROUPS).alias("section"),
        "name",
        "label",
        "value",
        "n",
        "coverage",
        "note",
    )
    about = [
        *(f"Caveat: {c}" for c in comparison.caveats),
        *(f"Warning: {w}" for w in comparison.warnings),
        f"Attention weights: {comparison.weights_note}",
        f"Data date: {comparison.data_date or MISSING}; career ages computed to {comparison.today}.",
        *(
            f"Reference set, {r['indicator']}: {r['reference set']}"
            for r in comparison.reference_sets.iter_rows(named=True)
        ),
    ]
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        _write_sheet(workbook, indicators, "Indicators")
        used: set[str] = set()
        for index, (name, label) in enumerate(labels, start=1):
            _write_sheet(workbook, works_sheet(comparison, name), _sheet_name(index, label, used))
        _write_sheet(
            workbook, pl.DataFrame({"caveats and data provenance": about}), "Caveats and provenance"
        )
        _write_sheet(workbook, candidates_table(comparison), "Candidates")
        _write_sheet(workbook, coverage_table(comparison), "Coverage per source")
    return buffer.getvalue()
