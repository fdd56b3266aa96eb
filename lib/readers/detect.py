"""Which format a file is in, decided by its content (the file name only adds to the explanation)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from lib.readers.delimited import sniff_delimiter
from lib.readers.encoding import decode
from lib.readers.metric_exports import is_altmetric_explorer, is_dimensions, skip_preamble
from lib.readers.orcid import orcid_groups
from lib.readers.scopus import is_scopus_header

FORMATS = (
    "text",
    "csv",
    "xlsx",
    "scopus",
    "wos",
    "wos-tab",
    "medline",
    "ris",
    "bibtex",
    "orcid-json",
    "altmetric-explorer",
    "dimensions",
)

FORMAT_LABELS = {
    "text": "Plain text (identifiers per line)",
    "csv": "Delimited table (CSV/TSV)",
    "xlsx": "Excel workbook",
    "scopus": "Scopus CSV export",
    "wos": "Web of Science plain text export",
    "wos-tab": "Web of Science tab-delimited export",
    "medline": "PubMed / MEDLINE export",
    "ris": "RIS",
    "bibtex": "BibTeX",
    "orcid-json": "ORCID works JSON",
    "altmetric-explorer": "Altmetric Explorer export",
    "dimensions": "Dimensions export",
}

_DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon", "|": "pipe"}
_WOS_TAB_COLUMNS = {"PT", "UT", "TI"}


@dataclass(frozen=True)
class DetectedFormat:
    format: str
    confidence: float  # 0-1
    explanation: str
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def is_ole2(data: bytes) -> bool:
    """Legacy .xls (OLE2 compound file)."""
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect_format(data: bytes, filename: str | None = None) -> DetectedFormat:
    """Detect the format of uploaded bytes."""
    if is_zip(data) or is_ole2(data):
        kind = "ZIP container" if is_zip(data) else "OLE2 compound file"
        return DetectedFormat("xlsx", 0.9, f"Starts with the {kind} signature of a spreadsheet.")
    text, encoding = decode(data)
    found = detect_text_format(text)
    hint = f" (file name: {filename})" if filename else ""
    return DetectedFormat(
        found.format,
        found.confidence,
        f"{found.explanation} Encoding: {encoding}.{hint}",
        encoding,
        found.delimiter,
    )


def detect_text_format(text: str) -> DetectedFormat:
    """Detect the format of decoded text."""
    head = text[:65536]
    stripped = head.lstrip()
    if stripped[:1] in "[{" and orcid_groups(text) is not None:
        return DetectedFormat("orcid-json", 0.95, "JSON with ORCID work groups ('work-summary').")
    if re.search(r"(?m)^PMID- ?\d", head):
        return DetectedFormat("medline", 0.95, "Lines tagged 'PMID-' start MEDLINE records.")
    if re.match(r"FN |VR |PT [A-Z]\b", stripped) and re.search(r"(?m)^(ER|UT) ?", head):
        return DetectedFormat("wos", 0.95, "Two-letter tags (FN, PT, ... ER) of a WoS export.")
    if re.search(r"(?m)^TY  - ", head):
        return DetectedFormat("ris", 0.95, "Lines tagged 'TY  - ' start RIS records.")
    if looks_like_bibtex(head):
        return DetectedFormat("bibtex", 0.9, "Entries of the form '@article{...' (BibTeX).")
    return _detect_table(head)


_BIBTEX_ENTRY = r"(?m)^\s*@[A-Za-z]+\s*[{(]\s*[^\s,{}()]*\s*,"


def looks_like_bibtex(head: str) -> bool:
    """BibTeX when its first content line opens an entry, or entries are a real share of lines.

    One CSV cell starting `@Word(` must not turn a table into BibTeX: the first line that is not
    blank or a `%` comment has to start an entry, or at least a tenth of the lines do.
    """
    entries = len(re.findall(_BIBTEX_ENTRY, head))
    if not entries:
        return False
    lines = [line for line in head.splitlines() if line.strip()]
    content = [line for line in lines if not line.lstrip().startswith("%")]
    if content and re.match(r"\s*@[A-Za-z]+\s*[{(]", content[0]):
        return True
    return entries >= 3 and entries * 10 >= len(lines)


def _detect_table(head: str) -> DetectedFormat:
    body = skip_preamble(head)
    delimiter = sniff_delimiter(body)
    if delimiter is None:
        return DetectedFormat("text", 0.6, "No consistent column delimiter: read as lines of text.")
    header = next(csv.reader(io.StringIO(body.split("\n", 1)[0]), delimiter=delimiter), [])
    header = [h.strip().lstrip("\ufeff") for h in header]
    named = _DELIMITER_NAMES[delimiter]
    if delimiter == "\t" and set(header) >= _WOS_TAB_COLUMNS:
        return DetectedFormat(
            "wos-tab", 0.9, "Tab-delimited with WoS field tags (PT, UT, TI).", None, delimiter
        )
    if is_scopus_header(header):
        return DetectedFormat("scopus", 0.9, "Scopus header (EID, Source title).", None, delimiter)
    if is_altmetric_explorer(header):
        explanation = "Header has 'Altmetric Attention Score' and mention counts."
        return DetectedFormat("altmetric-explorer", 0.9, explanation, None, delimiter)
    if is_dimensions(header):
        explanation = "Dimensions header (Publication ID, Times cited, FCR, Dimensions URL)."
        return DetectedFormat("dimensions", 0.85, explanation, None, delimiter)
    return DetectedFormat(
        "csv", 0.8, f"A table with {len(header)} {named}-separated columns.", None, delimiter
    )
