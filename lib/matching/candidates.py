"""A candidate work from a lookup, and how its fields agree with the reference's."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from lib.matching.parse import ParsedReference

Verdict = Literal["agrees", "differs", "missing"]
_PUNCT = re.compile(r"[^\w\s]")
_STOP = frozenset({"of", "the", "and", "&", "for", "in", "on", "j", "a"})
NOTICE_PREFIXES = (
    "erratum",
    "correction",
    "corrigendum",
    "retraction",
    "retracted",
    "expression of concern",
)
NOT_ARTICLE_TYPES = frozenset(
    {
        "proceedings-article",
        "posted-content",
        "erratum",
        "retraction",
        "paratext",
        "peer-review",
        "other",
    }
)


@dataclass(frozen=True)
class Candidate:
    """One work a lookup suggested: its identifiers, its fields and where it came from."""

    source: str  # crossref, openalex, ecitmatch (several joined with "+" once merged)
    doi: str | None = None
    pmid: str | None = None
    openalex: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()  # surnames in order
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    first_page: str | None = None
    type: str | None = None
    # NCBI ECitMatch found this candidate's PMID from journal, year, volume, page and author.
    confirmed_by_ecitmatch: bool = False

    @property
    def key(self) -> str | None:
        """The canonical work key this candidate would become."""
        if self.doi:
            return self.doi.lower()
        return f"pmid:{self.pmid}" if self.pmid else None

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @classmethod
    def from_mapping(cls, row: Mapping[str, object]) -> Candidate:
        """From a source module's parsed record (plain fields)."""

        def text(name: str) -> str | None:
            value = row.get(name)
            return str(value) if value not in (None, "") else None

        year = row.get("year")
        authors = row.get("authors") or ()
        return cls(
            source=str(row.get("source") or "unknown"),
            doi=text("doi"),
            pmid=text("pmid"),
            openalex=text("openalex"),
            title=text("title"),
            authors=tuple(str(a) for a in authors) if isinstance(authors, (list, tuple)) else (),
            year=int(year) if isinstance(year, (int, float, str)) and str(year).isdigit() else None,
            journal=text("journal"),
            volume=text("volume"),
            first_page=text("first_page"),
            type=text("type"),
        )


@dataclass(frozen=True)
class FieldComparison:
    field: str
    reference: str | None
    candidate: str | None
    verdict: Verdict


def fold(text: str | None) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: what comparisons see."""
    if not text:
        return ""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_PUNCT.sub(" ", plain.lower()).split())


def journal_agrees(reference: str, candidate: str) -> bool:
    """Same journal, allowing NLM/ISO abbreviations ("N Engl J Med" ~ "New England Journal of
    Medicine"): every word of the shorter, in order, starts a word of the longer."""
    a, b = fold(reference).split(), fold(candidate).split()
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(" ".join(a)) <= len(" ".join(b)) else (b, a)
    short = [w for w in short if w not in _STOP]
    long = [w for w in long if w not in _STOP]
    at = 0
    for word in short:
        while at < len(long) and not long[at].startswith(word):
            at += 1
        if at == len(long):
            return False
        at += 1
    return bool(short) and len(long) - len(short) <= 2


def same_surname(a: str | None, b: str | None) -> bool:
    fa, fb = fold(a).replace(" ", ""), fold(b).replace(" ", "")
    return bool(fa) and fa == fb


def is_notice(title: str | None) -> bool:
    """An erratum, correction or retraction notice (which repeats the title it corrects)."""
    return fold(title).startswith(NOTICE_PREFIXES)


def _verdict(ref: str | None, cand: str | None, agree: bool) -> Verdict:
    if not ref or not cand:
        return "missing"
    return "agrees" if agree else "differs"


def compare_fields(
    ref: ParsedReference, cand: Candidate, title_similarity: float
) -> list[FieldComparison]:
    """Field by field, for the person reviewing: what agrees, what differs, what one side lacks."""
    year_ref = str(ref.year) if ref.year else None
    year_cand = str(cand.year) if cand.year else None
    return [
        FieldComparison(
            "title", ref.title, cand.title, _verdict(ref.title, cand.title, title_similarity >= 0.9)
        ),
        FieldComparison(
            "year", year_ref, year_cand, _verdict(year_ref, year_cand, year_ref == year_cand)
        ),
        FieldComparison(
            "first author",
            ref.first_author,
            cand.first_author,
            _verdict(
                ref.first_author,
                cand.first_author,
                same_surname(ref.first_author, cand.first_author),
            ),
        ),
        FieldComparison(
            "journal",
            ref.journal,
            cand.journal,
            _verdict(
                ref.journal, cand.journal, journal_agrees(ref.journal or "", cand.journal or "")
            ),
        ),
        FieldComparison(
            "volume",
            ref.volume,
            cand.volume,
            _verdict(ref.volume, cand.volume, ref.volume == cand.volume),
        ),
        FieldComparison(
            "first page",
            ref.first_page,
            cand.first_page,
            _verdict(
                ref.first_page, cand.first_page, fold(ref.first_page) == fold(cand.first_page)
            ),
        ),
    ]
