"""Splitting pasted text (a CV, a reference list) into references, skipping lines that are not.

A CV mixes references with headings ("Publications 2019-2024", "Peer-reviewed articles"), page
numbers, running headers and blank lines. Those are skipped and counted by reason, never matched.
A numbered list ("1.", "[1]", "1)") may wrap a reference over several lines: a line that does not
start a new number continues the reference before it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_NUMBERED = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)]|[-*\u2022\u2013])\s+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$|^\s*[-\u2013]\s*\d{1,4}\s*[-\u2013]\s*$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_YEAR_RANGE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*(?:-|\u2013|\u2014|to)\s*(?:(?:19|20)\d{2}|present)"
)
# A reference has a title and a source: at least this many characters and some punctuation.
MIN_REFERENCE_CHARS = 30
MIN_WORDS = 5


@dataclass(frozen=True)
class ReferenceLine:
    """One reference: its order among the references, its first line in the paste, its text."""

    position: int
    line: int
    text: str


@dataclass(frozen=True)
class SplitResult:
    references: list[ReferenceLine]
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> lines skipped

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def skip_reason(line: str) -> str | None:
    """Why a line is not a reference (blank, page number, heading), or None when it may be one."""
    text = line.strip()
    if not text:
        return "blank line"
    if _PAGE_NUMBER.match(text):
        return "page number"
    bare = _NUMBERED.sub("", text)
    words = bare.split()
    if len(bare) < MIN_REFERENCE_CHARS or len(words) < MIN_WORDS:
        return "heading" if _looks_like_heading(bare) else "too short to be a reference"
    if _YEAR_RANGE.search(bare) and len(words) <= 8:
        return "heading"
    if bare.isupper() and len(words) <= 10:
        return "heading"
    return None


def _continues(line: str) -> bool:
    """In a numbered list, whether an unnumbered line wraps the reference above it."""
    text = line.strip()
    if not text or _PAGE_NUMBER.match(text):
        return False
    return not _section_heading(text)


def _section_heading(text: str) -> bool:
    """A heading between references: a year range, a trailing colon, capitals, or a short label."""
    if text.endswith("."):
        return False
    words = text.split()
    if _YEAR_RANGE.search(text) and len(words) <= 8:
        return True
    if text.endswith(":") or (text.isupper() and len(words) <= 10):
        return True
    return len(words) <= 6 and not re.search(r"[.;,]", text)


def _looks_like_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (text.endswith(":") or text[0].isupper() or bool(_YEAR.search(text)))


def split_references(text: str) -> SplitResult:
    """References in input order; continuation lines of a numbered list are joined to theirs."""
    skipped: Counter[str] = Counter()
    entries: list[tuple[int, list[str]]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    numbered = sum(bool(_NUMBERED.match(line)) for line in lines) >= 2
    for number, raw in enumerate(lines, start=1):
        starts_entry = bool(_NUMBERED.match(raw))
        if numbered and not starts_entry and entries and _continues(raw):
            entries[-1][1].append(raw.strip())
            continue
        reason = skip_reason(raw)
        if reason is not None and not (starts_entry and reason == "too short to be a reference"):
            skipped[reason] += 1
            continue
        entries.append((number, [_NUMBERED.sub("", raw).strip()]))
    references: list[ReferenceLine] = []
    for line, parts in entries:
        joined = " ".join(parts)
        if len(joined) < MIN_REFERENCE_CHARS:
            skipped["too short to be a reference"] += 1
            continue
        references.append(ReferenceLine(len(references) + 1, line, joined))
    return SplitResult(references, skipped)
