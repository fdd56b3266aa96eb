"""NCBI ECitMatch: journal, year, volume, first page, first author -> PMID.

`GET {base}/ecitmatch.cgi?db=pubmed&retmode=xml&bdata=...`; each citation is one line
`journal|year|volume|first_page|author_name|key|`, joined by `\r`. The answer is plain text, the same
lines with the PMID appended, or `NOT_FOUND` / `AMBIGUOUS ...`. Base:
`https://eutils.ncbi.nlm.nih.gov/entrez/eutils` (TRIANGULATE_ECITMATCH_URL overrides it).
"""

from __future__ import annotations

from dataclasses import dataclass

from lib.settings import Settings
from lib.sources._common import request_to
from lib.sources.base import ApiRequest

NAME = "ecitmatch"
_UNSAFE = str.maketrans({"|": " ", "\r": " ", "\n": " "})


@dataclass(frozen=True)
class Citation:
    key: str  # our reference id, echoed back
    journal: str
    year: int
    volume: str
    first_page: str
    first_author: str

    def line(self) -> str:
        fields = (
            self.journal,
            str(self.year),
            self.volume,
            self.first_page,
            self.first_author,
            self.key,
        )
        return "|".join(f.translate(_UNSAFE).strip() for f in fields) + "|"


def build_request(citations: list[Citation], settings: Settings) -> ApiRequest:
    params = [
        ("db", "pubmed"),
        ("retmode", "xml"),
        ("bdata", "\r".join(c.line() for c in citations)),
    ]
    if settings.mailto:
        params += [("tool", "triangulate"), ("email", settings.mailto)]
    lookup = tuple((c.key, c.key) for c in citations)
    return request_to(settings, NAME, "/ecitmatch.cgi", lookup, params=params)


def parse_response(http_status: int, body: str) -> tuple[dict[str, str | None], str | None]:
    """({our key: PMID or None}, problem)."""
    if http_status != 200:
        return {}, f"ECitMatch answered HTTP {http_status}"
    if body.lstrip().startswith("<"):
        return {}, "ECitMatch answered an HTML page, not citation lines"
    found: dict[str, str | None] = {}
    for line in body.replace("\r", "\n").splitlines():
        parts = line.split("|")
        if len(parts) < 7:
            continue
        key, answer = parts[5].strip(), parts[6].strip()
        found[key] = answer if answer.isdigit() else None
    return found, None
