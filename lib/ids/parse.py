"""Recognise and normalise scholarly identifiers: DOI, PMID, PMCID, ORCID iD, arXiv id, OpenAlex work id.

`parse_identifier` decides what one messy cell IS; `find_identifiers` digs every identifier out of free
text; `parse_identifier_expr` (from `lib.ids.expressions`) is the same parser as a native Polars expression.
The cleaning steps mirror `lib.ids.expressions` one for one, over the patterns in `lib.ids.patterns`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from lib.ids import patterns as P

Scheme = Literal["doi", "pmid", "pmcid", "orcid", "arxiv", "openalex"]

SCHEME_LABELS: dict[str, str] = {
    "doi": "DOI",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "orcid": "ORCID iD",
    "arxiv": "arXiv id",
    "openalex": "OpenAlex work id",
}
_KEY_PREFIXES: dict[Scheme, str] = {
    "pmid": "pmid:",
    "pmcid": "pmcid:",
    "arxiv": "arxiv:",
    "openalex": "openalex:",
}
_URLS: dict[str, str] = {
    "doi": "https://doi.org/{}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}/",
    "pmcid": "https://pmc.ncbi.nlm.nih.gov/articles/{}/",
    "orcid": "https://orcid.org/{}",
    "arxiv": "https://arxiv.org/abs/{}",
    "openalex": "https://openalex.org/{}",
}


@dataclass(frozen=True)
class Identifier:
    """A recognised identifier in normalised form; arXiv keeps its version aside (not compared)."""

    scheme: Scheme
    value: str
    version: str | None = field(default=None, compare=False)

    @property
    def key(self) -> str | None:
        """The canonical work key (DESIGN.md data model); None for ORCID iDs, which name people."""
        if self.scheme == "orcid":
            return None
        return _KEY_PREFIXES.get(self.scheme, "") + self.value

    @property
    def url(self) -> str:
        """The identifier's canonical resolver or landing URL."""
        return _URLS[self.scheme].format(self.value)


@dataclass(frozen=True)
class Invalid:
    """Text that is not one identifier, with a plain-English reason."""

    text: str
    reason: str


_CHAR_TABLE = str.maketrans(P.CHAR_MAP)
# Broad shapes, then a table look-up: the same matches as an alternation of every table key.
_ENTITY_RE = re.compile("&#?[0-9A-Za-z]{1,8};")
_PERCENT_RE = re.compile("%[0-9A-Fa-f]{2}")
_ENCODED_KEYS = frozenset(P.ENCODED_KEYS)
_PREFIX_RE = re.compile(P.PREFIX)
_DOI_RE = re.compile(P.DOI)
_DOI_LANDING_RE = re.compile(P.DOI_LANDING)
_VIEW_SUFFIX_RE = re.compile(P.LANDING_VIEW_SUFFIX)
_BIORXIV_RE = re.compile(P.BIORXIV_VERSION)
_DOI_LIKE_RE = re.compile(P.DOI_LIKE)
_PMID_RE = re.compile(P.PMID)
_PMCID_RE = re.compile(P.PMCID)
_ORCID_RE = re.compile(P.ORCID)
_ARXIV_RE = re.compile(P.ARXIV)
_OPENALEX_RE = re.compile(P.OPENALEX)
_DIGITS_RE = re.compile(P.DIGITS_ONLY)


def decode(text: str) -> str:
    """Fold look-alike characters, then decode HTML entities and %-escapes once each."""
    text = text.translate(_CHAR_TABLE)
    text = _ENTITY_RE.sub(lambda m: P.ENTITY_MAP.get(m.group().lower(), m.group()), text)
    return _PERCENT_RE.sub(lambda m: P.PERCENT_MAP.get(m.group().lower(), m.group()), text)


def _still_encoded(text: str) -> bool:
    return any(
        match.group().lower() in _ENCODED_KEYS
        for pattern in (_ENTITY_RE, _PERCENT_RE)
        for match in pattern.finditer(text)
    )


def strip_wrapping(text: str) -> str:
    """Drop surrounding space, leading quotes/brackets/Excel `=` and a `mailto:` or export tag."""
    text = text.strip(" ").lstrip(P.LEAD_JUNK)
    return _PREFIX_RE.sub("", text, count=1).lstrip(P.LEAD_JUNK)


def strip_tail(text: str) -> str:
    """Drop trailing punctuation and quotes, and closing brackets only while they are unbalanced."""
    core_len = len(text.rstrip(P.TAIL_CHARS))
    tail = text[core_len:]
    cut = len(tail)
    for opener, closer in P.BRACKET_PAIRS:
        allowed = max(text.count(closer) - text.count(opener), 0) + 1
        segments = tail.split(closer)
        if len(segments) > allowed:
            cut = min(cut, sum(map(len, segments[-allowed:])) + allowed - 1)
    return text[: len(text) - cut]


def orcid_checksum_ok(orcid: object) -> bool:
    """ISO 7064 MOD 11-2 check of a 16-character ORCID iD (hyphens and spaces ignored); False for
    anything that is not text (a cell value may be None or a number)."""
    if not isinstance(orcid, str):
        return False
    compact = orcid.replace("-", "").replace(" ", "").upper()
    if not re.fullmatch("[0-9]{15}[0-9X]", compact):
        return False
    total = sum(int(digit) * 2 ** (15 - i) for i, digit in enumerate(compact[:15]))
    check = (12 - total % 11) % 11
    return compact[15] == ("X" if check == 10 else str(check))


def _doi_value(text: str) -> str | None:
    if match := _DOI_RE.match(text):
        return strip_tail(match.group(1)).lower()
    if match := _DOI_LANDING_RE.match(text):
        doi = _VIEW_SUFFIX_RE.sub("", match.group(1), count=1)
        doi = _BIORXIV_RE.sub(r"\1", doi, count=1)
        return strip_tail(doi).lower()
    return None


def _truncated_doi(text: str) -> bool:
    """ "10." is a DOI cut short, not PMID 10 (its data would be an unrelated paper's); "10.0" is
    a spreadsheet's PMID 10 and stays one."""
    return bool(_DOI_LIKE_RE.match(text)) and not _DIGITS_RE.match(text)


def _match_scheme(text: str) -> Identifier | str:
    """The identifier `text` is, or the reason key for why it is none."""
    if doi := _doi_value(text):
        return Identifier("doi", doi)
    if (match := _PMCID_RE.match(text)) and (digits := match.group(1).lstrip("0")):
        return Identifier("pmcid", "PMC" + digits)
    if (
        (match := _PMID_RE.match(text))
        and (digits := match.group(1).lstrip("0"))
        and not _truncated_doi(text)
    ):
        return Identifier("pmid", digits)
    if match := _ORCID_RE.match(text):
        orcid = "-".join(match.groups()).upper()
        return Identifier("orcid", orcid) if orcid_checksum_ok(orcid) else "orcid_checksum"
    if match := _ARXIV_RE.match(text):
        return Identifier("arxiv", match.group(1), version=match.group(2))
    if match := _OPENALEX_RE.match(text):
        return Identifier("openalex", "W" + match.group(1))
    if _DIGITS_RE.match(text):
        return "digits"
    return "doi" if _DOI_LIKE_RE.match(text) else "generic"


def _as_text(text: object) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    return text if isinstance(text, str) else str(text)


def _parse(raw: str, *, decoded: bool = False) -> Identifier | str:
    if len(raw) > P.MAX_INPUT_CHARS:
        return "too_long"
    text = raw if decoded else decode(raw)
    if not decoded and _still_encoded(text):
        return "double_encoded"
    text = strip_wrapping(text)
    return _match_scheme(text) if text else "empty"


@functools.lru_cache(maxsize=65_536)
def _parse_text(raw: str) -> Identifier | str:
    # Pure, and its results are frozen: a source's answer names each work's identifiers several
    # times (matching, work fields, keys), and a 10,000-DOI fetch parsed them 85,000 times.
    return _parse(raw)


def parse_identifier(text: str | None, expect: Scheme | None = None) -> Identifier | Invalid:
    """The one identifier a messy string is, or Invalid with the reason; never raises."""
    raw = _as_text(text)
    result = _parse_text(raw)
    if isinstance(result, str):
        return Invalid(raw, P.REASONS[result])
    if expect is not None and result.scheme != expect:
        label = SCHEME_LABELS.get(expect, str(expect))
        return Invalid(raw, f"not a {label} (it is a {SCHEME_LABELS[result.scheme]})")
    return result


def normalize_doi(text: str | None) -> str | None:
    """The bare lower-case DOI in `text` (a DOI, doi: label or DOI URL), else None."""
    result = parse_identifier(text, expect="doi")
    return result.value if isinstance(result, Identifier) else None


def work_key(identifier: Identifier) -> str | None:
    """The canonical work key of `identifier` (None for ORCID iDs)."""
    return identifier.key


def bare_orcid(text: object) -> str | None:
    """The bare ORCID iD ("0000-0002-1825-0097") in any spelling, checksum checked; else None."""
    parsed = parse_identifier(_as_text(text), expect="orcid")
    return parsed.value if isinstance(parsed, Identifier) else None


KEY_ORDER: tuple[Scheme, ...] = ("doi", "pmid", "pmcid", "arxiv", "openalex")


def work_key_of(ids: Mapping[str, object]) -> str | None:
    """The canonical work key of a work from its identifiers: DOI, else PMID, else PMCID, arXiv id,
    OpenAlex id (the DESIGN.md rule; `Identifier.key` gives each scheme's form)."""
    for scheme in KEY_ORDER:
        value = ids.get(scheme)
        if value:
            parsed = parse_identifier(_as_text(value), expect=scheme)
            if isinstance(parsed, Identifier):
                return parsed.key
    return None


def parse_work_key(key: object) -> Identifier | None:
    """The Identifier behind a work key such as `10.1000/x`, `pmid:123` or `openalex:W1`; None for
    anything else, text or not (a frame cell may be None)."""
    if not isinstance(key, str):
        return None
    scheme: Scheme = "doi"
    for candidate, prefix in _KEY_PREFIXES.items():
        if key.startswith(prefix):
            scheme, key = candidate, key[len(prefix) :]
            break
    result = parse_identifier(key, expect=scheme)
    return result if isinstance(result, Identifier) else None


_ID_START = r"(?:10\.[0-9]{4}|doi|pmid|pmc|arxiv|orcid|openalex|https?:)"
_SCAN_RE = re.compile(
    r"""
    (?:https?://|www\.|(?:dx\.)?doi\.org/|pubmed\.ncbi|pmc\.ncbi|europepmc\.org/|arxiv\.org/
       |orcid\.org/|openalex\.org/)[^\s"]+
    | \b(?:pmid|pubmed(?:\s*id)?|pmcid|pmc|arxiv|orcid(?:\s*id)?|openalex)\s*[:#=-]?\s*[A-Za-z0-9./-]+
    | \b10\.[0-9]{4,9}(?:\.[0-9]+)*/(?:(?![,;|]\s*ID_START)[^\s"])+
    | \b[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\b
    | \b(?:ARCHIVES)(?:\.[A-Za-z-]{2,})?/[0-9]{7}(?:v[0-9]+)?\b
    | \b[0-9]{4}\.[0-9]{4,5}v[0-9]+\b
    | \bW[0-9]{7,12}\b
    """.replace("ID_START", _ID_START).replace("ARCHIVES", P.ARXIV_ARCHIVES),
    re.IGNORECASE | re.VERBOSE,
)
_BARE_DOI_RE = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/[^\s\"]+")


def find_identifiers(text: str | None) -> list[Identifier]:
    """Every identifier in free text, in order of appearance, without repeats.

    Bare numbers count as PMIDs only when labelled (`PMID: 123`) or inside a PubMed URL, and bare
    arXiv ids only with a version or an `arXiv:` label, so years, pages and volumes never match.
    """
    source = decode(_as_text(text))
    found: dict[tuple[str, str], Identifier] = {}
    for match in _SCAN_RE.finditer(source):
        candidate = match.group()
        result = _parse(candidate, decoded=True)
        if isinstance(result, str) and (inner := _BARE_DOI_RE.search(candidate)):
            result = _parse(inner.group(), decoded=True)
        if isinstance(result, Identifier):
            found.setdefault((result.scheme, result.value), result)
    return list(found.values())
