"""XLSX (and XLS) through fastexcel, after the ZIP has been checked for bombs (limits.py).

With several sheets, the one whose cells hold the most identifiers is read, and the result says
which sheet that was and which others there were.
"""

from __future__ import annotations

import fastexcel
import polars as pl

from lib.readers.delimited import unique_names
from lib.readers.limits import UploadRejected
from lib.readers.tabular import content_shares, detect_identifier_columns


def _sheet_table(
    reader: fastexcel.ExcelReader, name: str, n_rows: int | None = None
) -> pl.DataFrame:
    sheet = reader.load_sheet(name, header_row=None, n_rows=n_rows, dtypes="string")
    raw = sheet.to_polars()
    if raw.height == 0:
        return pl.DataFrame()
    header = [str(v) if v is not None else "" for v in raw.row(0)]
    body = raw.slice(1)
    table = body.rename(dict(zip(body.columns, unique_names(header), strict=True)))
    return table.with_columns(pl.all().cast(pl.String).str.strip_chars()).with_columns(
        pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep()
    )


def _score(table: pl.DataFrame) -> float:
    if table.is_empty():
        return -1.0
    ids, _, _ = detect_identifier_columns(table)
    shares = content_shares(table, ids) if ids else {}
    return len(ids) + sum(shares.values()) + min(table.height, 1000) / 1e6


def read_xlsx_table(data: bytes) -> tuple[pl.DataFrame, str, list[str]]:
    """(table of the sheet with identifiers, its name, notes)."""
    try:
        reader = fastexcel.read_excel(data)
    except Exception as error:  # fastexcel raises its own error types per failure
        raise UploadRejected(f"The spreadsheet could not be read: {error}") from error
    names = reader.sheet_names
    if not names:
        raise UploadRejected("The spreadsheet has no sheets.")
    chosen = names[0]
    if len(names) > 1:
        scores = {name: _score(_sheet_table(reader, name, n_rows=200)) for name in names}
        chosen = max(names, key=lambda n: scores[n])
    notes = []
    if len(names) > 1:
        others = ", ".join(f"'{n}'" for n in names if n != chosen)
        notes.append(f"Read sheet '{chosen}' (it holds the identifiers); other sheets: {others}.")
    return _sheet_table(reader, chosen), chosen, notes
