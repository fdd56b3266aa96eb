"""A reference string into fields: authors, year, title, journal, volume, issue, first page.

Rule-based, by decision (docs/decisions.md): the well-kept reference parsers are not Python or not
offline (AnyStyle is Ruby, GROBID and CERMINE are Java services, refextract needs pdftotext and
targets physics citations, and the CRF/neural ones on PyPI load models from a hub). Medicine's CVs
use two shapes that rules read well: Vancouver/AMA ("Surname AB, Other C. Title. Journal.
2019;12(3):45-67.") and APA/Harvard ("Surname, A. B., & Other, C. (2019). Title. Journal, 12(3),
45-67."). What the rules cannot find stays None; a reference without a title or a year is
`problem`-tagged and listed with why instead of being matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from lib.ids import find_identifiers

_DASHES = re.compile("[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:doi|pmid|pmcid)\s*:?\s*\S+", re.IGNORECASE)
_BARE_DOI = re.compile(r"\b10\.\d{4,9}/\S+")
_APA = re.compile(
    r"^(?P<authors>.+?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?(?:,[^)]*)?\)\.?\s*(?P<rest>.+)$"
)
# "2019;12(3):45-67", "2019 Mar 4;12:e123", "2019;12:45" (Vancouver/AMA source block).
_VANCOUVER_BLOCK = re.compile(
    r"(?P<year>(?:19|20)\d{2})(?:\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?(?:-[A-Z][a-z]{2})?)?"
    r"\s*;\s*(?P<volume>\d+)?\s*(?:\((?P<issue>[^)]{1,12})\))?"
    r"(?:\s*:\s*(?P<pages>[A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]?\d+[A-Za-z]?)?))?"
)
# APA tail after the journal: "12(3), 45-67" or "12, e123".
_APA_TAIL = re.compile(
    r",\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]{1,12})\))?"
    r"(?:\s*,\s*(?P<pages>[A-Za-z]?\d+[A-Za-z]?(?:\s*-\s*[A-Za-z]?\d+[A-Za-z]?)?))?"
)
_SENTENCE = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9\[(\"'])")
_APA_AUTHOR = re.compile(
    r"((?:(?:van|de|von|der|den|da|del|la|le|di)\s+)*[A-Z][\w'\u2019\-]+(?:\s+(?:van|de|von|der|da|[A-Z][\w'\u2019\-]+))*),\s+(?:[A-Z]\.\s?-?)+"
)
_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@dataclass(frozen=True)
class ParsedReference:
    """The fields read from one reference; None where the text does not say."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()  # surnames in order
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    doi: str | None = None
    pmid: str | None = None
    style: str = "unknown"  # vancouver, apa, fields (came as fields), unknown
    problems: tuple[str, ...] = field(default=())

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def problem(self) -> str | None:
        """Why this reference cannot be matched, or None when it can."""
        return "; ".join(self.problems) if self.problems else None

    @classmethod
    def from_fields(
        cls,
        text: str,
        *,
        title: str | None,
        authors: str | None = None,
        year: int | None = None,
        journal: str | None = None,
        volume: str | None = None,
        first_page: str | None = None,
    ) -> ParsedReference:
        """A row that already has fields (BibTeX, RIS, ORCID, a table) but no identifier."""
        surnames = tuple(
            _surname(name) for name in re.split(r";|\band\b", authors or "") if name.strip()
        )
        return _checked(
            cls(
                text=text,
                title=_clean_title(title),
                authors=tuple(s for s in surnames if s),
                year=year,
                journal=_clean(journal),
                volume=_clean(volume),
                first_page=_first_page(first_page),
                style="fields",
            )
        )


def normalise(text: str) -> str:
    return _SPACE.sub(" ", _DASHES.sub("-", text)).strip()


def parse_reference(text: str) -> ParsedReference:
    """Fields from a reference string; identifiers inside it (DOI, PMID) are kept apart."""
    clean = normalise(text)
    ids = find_identifiers(clean)
    doi = next((i.value for i in ids if i.scheme == "doi"), None)
    pmid = next((i.value for i in ids if i.scheme == "pmid"), None)
    body = normalise(_BARE_DOI.sub("", _URL.sub("", clean))).rstrip(" .")
    apa = _APA.match(body)
    if apa and _APA_AUTHOR.search(apa["authors"] + " "):
        parsed = _parse_apa(clean, apa)
    else:
        parsed = _parse_vancouver(clean, body)
    return _checked(replace(parsed, doi=doi, pmid=pmid))


def _parse_apa(text: str, match: re.Match[str]) -> ParsedReference:
    authors = tuple(_APA_AUTHOR.findall(match["authors"] + " "))
    parts = [p for p in _SENTENCE.split(match["rest"]) if p.strip(" .")]
    title = " ".join(parts[:-1]) if len(parts) > 1 else parts[0] if parts else None
    journal = volume = issue = pages = None
    if len(parts) > 1:
        source = parts[-1]
        tail = _APA_TAIL.search(source)
        journal = source[: tail.start()] if tail else source
        if tail:
            volume, issue, pages = tail["volume"], tail["issue"], tail["pages"]
    return ParsedReference(
        text=text,
        title=_clean_title(title),
        authors=tuple(a.strip() for a in authors),
        year=int(match["year"]),
        journal=_clean(journal),
        volume=volume,
        issue=_clean(issue),
        first_page=_first_page(pages),
        style="apa",
    )


def _parse_vancouver(text: str, body: str) -> ParsedReference:
    block = None
    for candidate in _VANCOUVER_BLOCK.finditer(body):
        block = candidate  # the last year;volume block is the source's, not a title's number
    head = body[: block.start()] if block else body
    segments = [s.strip(" .") for s in _SENTENCE.split(head) if s.strip(" .")]
    if block is None:
        year_match = list(_YEAR.finditer(body))
        year = int(year_match[-1].group()) if year_match else None
        if year_match:
            segments = [
                s.strip(" .")
                for s in _SENTENCE.split(body[: year_match[-1].start()])
                if s.strip(" .")
            ]
    else:
        year = int(block["year"])
    authors: tuple[str, ...] = ()
    title = journal = None
    if segments and _looks_like_authors(segments[0]):
        authors = tuple(_surname(a) for a in segments[0].split(",") if a.strip())
        segments = segments[1:]
    if len(segments) >= 2:
        title, journal = ". ".join(segments[:-1]), segments[-1]
    elif segments:
        title = segments[0]
    return ParsedReference(
        text=text,
        title=_clean_title(title),
        authors=tuple(a for a in authors if a and a.lower() != "et al"),
        year=year,
        journal=_clean(journal),
        volume=block["volume"] if block else None,
        issue=_clean(block["issue"]) if block else None,
        first_page=_first_page(block["pages"]) if block else None,
        style="vancouver" if block else "unknown",
    )


def _looks_like_authors(segment: str) -> bool:
    """ "Smith JA, Jones B, et al": names ending in initials, separated by commas."""
    names = [n.strip() for n in segment.split(",") if n.strip()]
    with_initials = sum(
        1 for n in names if _INITIALS.match(n.split()[-1].replace(".", "")) or n.lower() == "et al"
    )
    return bool(names) and with_initials >= max(1, len(names) // 2)


def _surname(name: str) -> str:
    """ "Smith JA" -> "Smith"; "Smith, J. A." -> "Smith"; "J. A. Smith" -> "Smith"."""
    text = name.strip().strip(".&").strip()
    text = re.sub(r"^(?:and|&)\s+", "", text)
    if "," in text:
        return text.split(",", 1)[0].strip()
    tokens = [t for t in text.split() if not _INITIALS.match(t.replace(".", "").replace("-", ""))]
    if not tokens:
        return ""
    # "Smith JA" keeps the first token; "John Smith" (given name first) keeps the last.
    return tokens[0] if _INITIALS.match(text.split()[-1].replace(".", "")) else tokens[-1]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    value = normalise(text).strip(" .,;:(")
    return value or None


def _clean_title(text: str | None) -> str | None:
    value = _clean(text)
    if value is None:
        return None
    return value.strip("\"'\u201c\u201d[]") or None


def _first_page(pages: str | None) -> str | None:
    value = _clean(pages)
    return value.split("-")[0].strip() if value else None


def _checked(parsed: ParsedReference) -> ParsedReference:
    problems = []
    if not parsed.title or len(parsed.title) < 10:
        problems.append("no title found")
    if parsed.year is None:
        problems.append("no year found")
    if not problems or parsed.doi or parsed.pmid:
        return parsed if not problems else _with(parsed, ())
    return _with(parsed, tuple(problems))


def _with(parsed: ParsedReference, problems: tuple[str, ...]) -> ParsedReference:
    return replace(parsed, problems=problems)
