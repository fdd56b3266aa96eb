"""CSV, TSV and semicolon-separated text into a String table, robust to ragged rows."""

from __future__ import annotations

import csv
import io
import re

import polars as pl

from lib.readers.tolerant_csv import Repair, tolerant_records

DELIMITERS = (",", "\t", ";", "|")
_SLACK = 8  # how many fields beyond the header a row may carry before we truncate instead


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    """Up to 20 records of the head, parsed with quotes (fields may span lines)."""
    head = text[:131072]
    cut = head.rfind("\n")
    rows = list(csv.reader(io.StringIO(head[: cut if cut > 0 else None]), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return rows[:20]


def sniff_delimiter(text: str) -> str | None:
    """The delimiter that splits the first records most consistently (None: one column)."""
    first = text[:200].split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first):
        return first[-1]
    best, best_score = None, 0.0
    for delimiter in DELIMITERS:
        try:
            counts = [len(row) - 1 for row in _sample_records(text, delimiter)]
        except csv.Error:
            continue
        if not counts or counts[0] == 0:
            continue
        consistent = sum(1 for c in counts if c >= counts[0]) / len(counts)
        if consistent < 0.6:
            continue
        score = consistent * min(counts[0], 50) + 0.5
        if score > best_score:
            best, best_score = delimiter, score
    return best or _sniff_ignoring_quotes(text)


def _sniff_ignoring_quotes(text: str) -> str | None:
    """The same choice on the tolerant scanner's records, for a head whose quotes are damaged
    (an unclosed quote makes the quote-aware sample one long record)."""
    head = text[:131072]
    cut = head.rfind("\n")
    head = head[: cut if cut > 0 else None]
    best, best_count = None, 0
    for delimiter in DELIMITERS:
        records, _, _ = tolerant_records(head, delimiter)
        counts = [len(r) - 1 for r in records if any(cell.strip() for cell in r)][:20]
        if not counts or counts[0] == 0:
            continue
        if sum(1 for c in counts if c >= counts[0]) / len(counts) >= 0.6 and counts[0] > best_count:
            best, best_count = delimiter, counts[0]
    return best


def unique_names(names: list[str]) -> list[str]:
    """Header names made unique and non-empty (`column 3`, `Title (2)`)."""
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(names):
        name = (raw or "").strip() or f"column {i + 1}"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _read_raw(data: bytes, delimiter: str, width: int, truncate: bool) -> pl.DataFrame:
    return pl.read_csv(
        io.BytesIO(data),
        has_header=False,
        separator=delimiter,
        schema={f"c{i}": pl.String for i in range(width)},
        missing_columns="insert",
        truncate_ragged_lines=truncate,
        quote_char='"',
        raise_if_empty=False,
    )


MAX_REPAIRS_LISTED = 200


def _read_tolerant(text: str, delimiter: str, width: int) -> tuple[pl.DataFrame, list[Repair]]:
    """The records as the strict read would give them (c0..c{width-1}, all text), via the scanner."""
    records, starts, repairs = tolerant_records(text, delimiter)
    surplus = [(line, len(r)) for r, line in zip(records, starts, strict=True) if len(r) > width]
    repairs += [
        Repair(line, f"{n - width + 1} fields beyond the last column were kept in it")
        for line, n in surplus
    ]
    fitted = [
        [*r[: width - 1], delimiter.join(r[width - 1 :])] if len(r) > width else r for r in records
    ]
    columns = {f"c{i}": [r[i] if i < len(r) else None for r in fitted] for i in range(width)}
    frame = pl.DataFrame(columns, schema={f"c{i}": pl.String for i in range(width)})
    frame = frame.with_columns(pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep())
    return frame, sorted(repairs, key=lambda r: r.line)


def repaired_lines(repairs: list[Repair]) -> list[str]:
    """Warnings naming each repaired line (the first MAX_REPAIRS_LISTED, then a count)."""
    if not repairs:
        return []
    lines = [
        f"The file is not strict CSV; {len({r.line for r in repairs}):,} lines were read "
        "tolerantly and every row was kept:"
    ]
    lines += [str(r) for r in repairs[:MAX_REPAIRS_LISTED]]
    if len(repairs) > MAX_REPAIRS_LISTED:
        lines.append(f"... and {len(repairs) - MAX_REPAIRS_LISTED:,} more repaired lines.")
    return lines


def read_delimited(
    text: str, delimiter: str | None, *, has_header: bool = True
) -> tuple[pl.DataFrame, int, list[str]]:
    """(table with the header's names plus `extra field N` for surplus fields, rows with surplus
    fields, warnings). Every cell is text; blank cells are null; blank rows are kept."""
    lines = text.split("\n", 2)
    if lines and re.fullmatch(r"sep=.\r?", lines[0]):
        text = text.split("\n", 1)[1] if "\n" in text else ""
    separator = delimiter or "\x1f"  # a one-column file: a separator that never occurs
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=separator), [])
    data = text.encode("utf-8")
    warnings: list[str] = []
    width = max(len(header), 1) + _SLACK
    try:
        raw = _read_raw(data, separator, width, truncate=False)
    except pl.exceptions.ComputeError:
        # Stray or unclosed quotes, or rows far longer than the header: the strict parser
        # refuses the whole file; the tolerant one keeps every row and names what it repaired.
        raw, repairs = _read_tolerant(text, separator, width)
        warnings += repaired_lines(repairs)
    names = unique_names(header if has_header else [""] * len(header))
    surplus = [f"c{i}" for i in range(len(names), width)]
    used = [c for c in surplus if raw.get_column(c).is_not_null().any()]
    ragged = (
        raw.select(pl.any_horizontal(pl.col(c).is_not_null() for c in used).sum()).item()
        if used
        else 0
    )
    table = raw.slice(1 if has_header else 0).select(
        [pl.col(f"c{i}").alias(name) for i, name in enumerate(names)]
        + [pl.col(c).alias(f"extra field {i + 1}") for i, c in enumerate(used)]
    )
    table = table.with_columns(pl.all().str.strip_chars(" \r")).with_columns(
        pl.when(pl.all() == "").then(None).otherwise(pl.all()).name.keep()
    )
    if ragged:
        fields = len(names)
        extra = "one more field" if len(used) == 1 else "more fields"
        rows = (
            table.with_row_index("__row", offset=1)
            .filter(
                pl.any_horizontal(
                    pl.col(f"extra field {i + 1}").is_not_null() for i in range(len(used))
                )
            )
            .get_column("__row")
            .head(MAX_REPAIRS_LISTED)
            .to_list()
        )
        more = f" and {ragged - len(rows):,} more" if ragged > len(rows) else ""
        warnings.append(
            f"{ragged:,} rows have {extra} than the header ({fields} fields); "
            f"the surplus is kept as 'extra field' columns: rows {', '.join(map(str, rows))}{more}."
        )
    return table, ragged, warnings
