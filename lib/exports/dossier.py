"""The one-page portfolio summary (self-contained HTML, works offline) and the table exports.

Every export carries what a reader needs to judge it: the data date per source, the sources, the
attention weights and the reference set each percentile is computed in.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl


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


def provenance_lines(context: ReportContext) -> list[str]:
    """Plain lines: collection, data dates per source, reference sets, weights, responsible use."""
    lines = [f"Collection: {context.collection}"]
    if context.person:
        lines.append(f"Person: {context.person}")
    if context.is_demo:
        lines.append("FICTIONAL DEMO DATA: every person, work and number is generated.")
    lines.append(f"Generated: {context.generated_at:%Y-%m-%d %H:%M}")
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


def table_csv(table: pl.DataFrame, context: ReportContext) -> bytes:
    """CSV with the provenance as leading '#' comment lines; a missing value is an empty cell."""
    header = "".join(f"# {line}\n" for line in provenance_lines(context))
    return (header + table.write_csv()).encode("utf-8")


def table_xlsx(table: pl.DataFrame, context: ReportContext) -> bytes:
    """Workbook with the table on 'Works' and the provenance on 'About'."""
    buffer = io.BytesIO()
    import xlsxwriter

    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        table.write_excel(workbook, worksheet="Works", autofit=True)
        about = pl.DataFrame({"about this export": provenance_lines(context)})
        about.write_excel(workbook, worksheet="About", autofit=True)
    return buffer.getvalue()
