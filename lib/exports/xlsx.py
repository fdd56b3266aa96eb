"""Fast XLSX data sheets: xlsxwriter writes the workbook, Polars writes the rows.

Writing 100,000 rows x 45 columns cell by cell through xlsxwriter costs millions of Python calls
(over a minute here). So xlsxwriter lays out the workbook (header, column formats and widths,
frozen pane, filter, the About sheet) with an empty data sheet, and the data rows are rendered as
OOXML in vectorised Polars string expressions and spliced into that sheet's `<sheetData>`. Each
cell takes the style xlsxwriter gave its column (read back from the sheet's `<col style=...>`).
Text is stored as inline strings, XML-escaped; carriage returns as `_x000D_` (Excel's escape).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import polars as pl

DATA_SHEET = "xl/worksheets/sheet1.xml"
_CHUNK = 20_000
_ILLEGAL_XML = r"[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_styles(sheet_xml: str) -> dict[int, int]:
    """0-based column -> style index from xlsxwriter's `<col min max style>` elements."""
    styles: dict[int, int] = {}
    for match in re.finditer(r"<col ([^>]*)/>", sheet_xml):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if "style" in attrs:
            for col in range(int(attrs["min"]) - 1, int(attrs["max"])):
                styles[col] = int(attrs["style"])
    return styles


def _escaped(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.replace_all(r"_(x[0-9A-Fa-f]{4}_)", "_x005F_$1")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
        .str.replace_all("\r", "_x000D_", literal=True)
        .str.replace_all(_ILLEGAL_XML, "")
    )


_NEEDS_ESCAPE = r"[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_"


def _needs_escape(frame: pl.DataFrame) -> set[str]:
    """Text columns with any character XML or Excel would misread (most columns have none)."""
    text = [c for c, t in frame.schema.items() if not t.is_numeric()]
    if not text:
        return set()
    found = frame.select(pl.col(c).cast(pl.String).str.contains(_NEEDS_ESCAPE).any() for c in text)
    return {c for c in text if found[c][0]}


def _cell(
    name: str, dtype: pl.DataType, index: int, styles: dict[int, int], escape: bool
) -> pl.Expr:
    ref = pl.concat_str(pl.lit(f'<c r="{column_letter(index)}'), pl.col("__r"))
    style = f' s="{styles[index]}"' if index in styles else ""
    value = pl.col(name)
    if dtype.is_numeric():
        finite = value.is_not_null() & value.cast(pl.Float64).is_finite()
        body = pl.concat_str(
            ref, pl.lit(f'"{style}><v>'), value.cast(pl.String), pl.lit("</v></c>")
        )
        return pl.when(finite).then(body).otherwise(pl.lit(""))
    text = _escaped(value.cast(pl.String)) if escape else value.cast(pl.String)
    body = pl.concat_str(
        ref,
        pl.lit(f'"{style} t="inlineStr"><is><t xml:space="preserve">'),
        text,
        pl.lit("</t></is></c>"),
    )
    return body.fill_null("")


def render_rows(frame: pl.DataFrame, styles: dict[int, int], first_row: int = 2) -> pl.Series:
    """One `<row>` element per frame row, as strings."""
    numbered = frame.with_columns(
        pl.int_range(first_row, first_row + pl.len()).cast(pl.String).alias("__r")
    )
    escape = _needs_escape(frame)
    cells = [_cell(n, t, i, styles, n in escape) for i, (n, t) in enumerate(frame.schema.items())]
    return numbered.select(
        pl.concat_str(pl.lit('<row r="'), pl.col("__r"), pl.lit('">'), *cells, pl.lit("</row>"))
    ).to_series()


def splice_rows(path: Path, frame: pl.DataFrame) -> None:
    """Put the frame's rows (after the header row) into the workbook's first sheet."""
    temporary = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as source:
        sheet = source.read(DATA_SHEET).decode("utf-8")
        styles = column_styles(sheet)
        head, tail = sheet.split("</sheetData>", 1)
        last = f"{column_letter(max(frame.width - 1, 0))}{frame.height + 1}"
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', head, count=1)
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
            for info in source.infolist():
                if info.filename != DATA_SHEET:
                    target.writestr(info, source.read(info.filename))
                    continue
                with target.open(DATA_SHEET, "w", force_zip64=True) as out:
                    out.write(head.encode("utf-8"))
                    for start in range(0, frame.height, _CHUNK):
                        chunk = frame.slice(start, _CHUNK)
                        rows = render_rows(chunk, styles, first_row=start + 2)
                        out.write(rows.str.join("").item().encode("utf-8"))
                    out.write(("</sheetData>" + tail).encode("utf-8"))
    shutil.move(temporary, path)
