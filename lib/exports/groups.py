"""The groups comparison as a standalone HTML report and an XLSX workbook.

Both carry the method lines (missing handling, strata, effect size and tests by name), the
responsible-use panel and every warning, so a figure cannot travel without how it was made.
"""

from __future__ import annotations

import html
import io
from datetime import datetime

import polars as pl
import xlsxwriter

from lib.exports.committee import PRINT_CSS
from lib.views.groups import RESPONSIBLE_USE, GroupsComparison, effects_table, summary_table


def _html_table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.iter_rows()
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _items(lines: list[str] | tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in lines) + "</ul>"


def groups_html(comparison: GroupsComparison) -> str:
    names = ", ".join(f"{g} ({comparison.sizes[g]:,} works)" for g in comparison.groups)
    demo = "<p><strong>Demo data: fictional works.</strong></p>" if comparison.demo else ""
    warnings = f"<h2>Warnings</h2>{_items(comparison.warnings)}" if comparison.warnings else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Groups comparison</title><style>{PRINT_CSS}</style></head><body>
<h1>Groups comparison</h1>
<p class="small">Generated {datetime.now():%Y-%m-%d %H:%M}. Groups: {html.escape(names)}.</p>
{demo}
<h2>How this was made</h2>{_items(comparison.method)}
<h2>Responsible use</h2><p>{html.escape(RESPONSIBLE_USE)}</p>
{warnings}
<h2>Per group: coverage, median, mean of log(1 + x)</h2>
<p class="small">Coverage is the share of the group's works with any value (n works with a
value). — means no source supplied it, not zero.</p>
{_html_table(summary_table(comparison))}
<h2>Pairs: effect sizes and tests, raw and stratified</h2>
{_html_table(effects_table(comparison))}
</body></html>"""


def _write(workbook: xlsxwriter.Workbook, frame: pl.DataFrame, name: str) -> None:
    sheet = workbook.add_worksheet(name)
    bold = workbook.add_format({"bold": True})
    for col, column in enumerate(frame.columns):
        sheet.write(0, col, column, bold)
        sheet.set_column(col, col, max(12, min(40, len(column) + 2)))
    for row_index, row in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(row):
            if value is None or (isinstance(value, float) and value != value):
                continue  # missing stays an empty cell, never 0
            sheet.write(row_index, col, value)


def groups_xlsx(comparison: GroupsComparison) -> bytes:
    """Sheets: Per group, Pairs (numbers, not text), Method and responsible use."""
    about = [
        *comparison.method,
        f"Responsible use: {RESPONSIBLE_USE}",
        *(f"Warning: {w}" for w in comparison.warnings),
        *(f"Group: {g} ({comparison.sizes[g]} works)" for g in comparison.groups),
    ]
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        _write(workbook, comparison.summaries.drop("se_log"), "Per group")
        _write(workbook, comparison.effects, "Pairs")
        _write(workbook, pl.DataFrame({"method and responsible use": about}), "Method")
    return buffer.getvalue()


def write_groups_report(comparison: GroupsComparison, path: str) -> str:
    """Write .html or .xlsx by the path's suffix; returns the path."""
    if path.lower().endswith(".html"):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(groups_html(comparison))
    elif path.lower().endswith(".xlsx"):
        with open(path, "wb") as handle:
            handle.write(groups_xlsx(comparison))
    else:
        raise ValueError(f"Write the groups report to a .html or .xlsx file, not '{path}'.")
    return path
