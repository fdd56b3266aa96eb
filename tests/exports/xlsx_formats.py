"""Read back a worksheet's number formats and stored values from the XLSX itself."""

from __future__ import annotations

import io
import re
import zipfile

BUILTIN = {"0": "General", "1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00"}


def _styles(book: zipfile.ZipFile) -> list[str]:
    styles = book.read("xl/styles.xml").decode()
    codes = dict(BUILTIN)
    codes |= {
        m.group(1): m.group(2).replace("&quot;", '"')
        for m in re.finditer(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles)
    }
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
    return [
        codes.get(re.search(r'numFmtId="(\d+)"', x).group(1), "?")
        for x in re.findall(r"<xf [^>]*", xfs)
    ]


def cell_formats(data: bytes, sheet: int, header: list[str]) -> dict[str, set[str]]:
    """column name -> the number formats its data cells (row 2 on) carry, cell or column style."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        formats = _styles(book)
        xml = book.read(f"xl/worksheets/sheet{sheet}.xml").decode()
    columns = {
        int(a): int(s) for a, s in re.findall(r'<col min="(\d+)" max="\d+"[^>]*style="(\d+)"', xml)
    }
    found: dict[str, set[str]] = {name: set() for name in header}
    for letters, row, attrs in re.findall(r'<c r="([A-Z]+)(\d+)"([^>]*)>', xml):
        if row == "1" or ' t="' in attrs:  # the header, and text cells ("—" for missing)
            continue
        index = 0
        for ch in letters:
            index = index * 26 + ord(ch) - 64
        if index > len(header):
            continue
        style = re.search(r's="(\d+)"', attrs)
        xf = int(style.group(1)) if style else columns.get(index, 0)
        found[header[index - 1]].add(formats[xf])
    return found


def stored_numbers(data: bytes, sheet: int) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        xml = book.read(f"xl/worksheets/sheet{sheet}.xml").decode()
    return re.findall(r"<c [^>]*?(?<!t=\"s\")(?<!t=\"inlineStr\")><v>([^<]*)</v>", xml)
