"""The tolerant CSV parse, for files the strict parser refuses: every readable row is kept.

Hand-edited files carry quotes inside unquoted fields (`10.5/x,=HYPERLINK("http://e","x")`, which
Excel and Python's csv module accept), text after a closing quote, or a quote never closed. The
strict Polars parse stays the fast path; when it fails, this scanner reads the text line by line,
keeps every row, and names each line it had to repair and how. A quoted field may span lines (up
to `MAX_FIELD_LINES`); a quote still open after that is read as an ordinary character instead,
so one stray quote cannot swallow the rest of the file.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_FIELD_LINES = 50
AFTER_QUOTE = "text after a closing quote was kept with the field"


@dataclass(frozen=True)
class Repair:
    """One line the tolerant parse had to read differently from strict CSV."""

    line: int  # 1-based physical line where the record starts
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


def _split(text: str, delimiter: str, quoting: bool) -> tuple[list[str], bool, list[str]]:
    """(fields, a quoted field is still open at the end, repairs) for one record's text."""
    fields: list[str] = []
    repairs: list[str] = []
    i, n = 0, len(text)
    while True:
        if quoting and i < n and text[i] == '"':
            value, i = [], i + 1
            while True:
                end = text.find('"', i)
                if end < 0:
                    return fields, True, repairs
                value.append(text[i:end])
                if text.startswith('""', end):
                    value.append('"')
                    i = end + 2
                    continue
                i = end + 1
                break
            stop = text.find(delimiter, i)
            stop = n if stop < 0 else stop
            if text[i:stop].strip():
                repairs.append(AFTER_QUOTE)
                value.append(text[i:stop])
            fields.append("".join(value))
        else:
            stop = text.find(delimiter, i)
            stop = n if stop < 0 else stop
            field = text[i:stop]
            if quoting and '"' in field:
                repairs.append("a quote inside an unquoted field was kept as text")
            fields.append(field)
        if stop >= n:
            return fields, False, repairs
        i = stop + len(delimiter)


def tolerant_records(text: str, delimiter: str) -> tuple[list[list[str]], list[int], list[Repair]]:
    """(records, the line each starts on, repairs); nothing is dropped, blank lines included."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records: list[list[str]] = []
    starts: list[int] = []
    repairs: list[Repair] = []
    index = 0
    while index < len(lines):
        start = index
        chunk = lines[index].rstrip("\r")
        fields, open_quote, notes = _split(chunk, delimiter, quoting=True)
        while open_quote and index + 1 < len(lines) and index - start < MAX_FIELD_LINES:
            index += 1
            chunk += "\n" + lines[index].rstrip("\r")
            fields, open_quote, notes = _split(chunk, delimiter, quoting=True)
        spans_lines = index > start
        if spans_lines and (open_quote or AFTER_QUOTE in notes):
            # Never closed, or "closed" by a quote that opens a field further down (text
            # follows it): read the first line as plain text, quotes and all.
            open_quote = True
        if open_quote:
            index = start
            fields, _, notes = _split(lines[start].rstrip("\r"), delimiter, quoting=False)
            notes = ["a quote was never closed; the line was read with the quote as text"]
        records.append(fields)
        starts.append(start + 1)
        repairs += [Repair(start + 1, note) for note in dict.fromkeys(notes)]
        index += 1
    return records, starts, repairs
