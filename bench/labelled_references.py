"""The labelled set for reference matching, built at run time from real records in ../shared.

Records with known DOIs (the Scopus, RIS and MEDLINE exports in fixtures/exports, and a seeded
sample of the PLOS ALM file) are rendered into reference strings in several citation styles with
their DOIs removed. The catalogue the mock API searches holds the true works and, for each, near
misses: the same title another year, an erratum, a conference abstract of the same study, and
common short titles; a share of references has no true work in the catalogue at all (a correct
answer for those is "no automatic match"). Nothing here is copied into the repository.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

from lib.ids import find_identifiers
from lib.readers import read_path
from tests.mock_catalogue import CatalogueWork

STYLES = ("vancouver", "apa", "harvard")
PLOS_JOURNALS = {
    "pbio": "PLoS Biology",
    "pone": "PLoS ONE",
    "pmed": "PLoS Medicine",
    "pcbi": "PLoS Computational Biology",
    "pgen": "PLoS Genetics",
    "ppat": "PLoS Pathogens",
    "pntd": "PLoS Neglected Tropical Diseases",
}
SHORT_TITLES = (
    "Editorial",
    "Introduction",
    "Reply",
    "Correspondence",
    "Response to comments",
    "Preface",
)
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


@dataclass(frozen=True)
class LabelledReference:
    text: str
    style: str
    doi: str | None  # the true work's DOI when it is in the catalogue, else None
    origin: str


def _names(authors: str | None, origin: str) -> tuple[tuple[str, str], ...]:
    if not authors:
        return ()
    parts = authors.split(", ") if origin == "scopus" and ";" not in authors else authors.split(";")
    names = []
    for part in (p.strip() for p in parts):
        tokens = part.replace(",", " ").split()
        if not tokens:
            continue
        if _INITIALS.match(tokens[-1]) and len(tokens) > 1:
            names.append((" ".join(tokens[1:]), tokens[0]))
        else:
            names.append((" ".join(tokens[:-1]), tokens[-1]))
    return tuple(dict.fromkeys(names))


def _field(extra: dict[str, str | None], *names: str) -> str | None:
    for name in names:
        value = extra.get(name)
        if value and str(value).strip():
            return str(value).strip()
    return None


def export_records(reference_dir: Path) -> list[CatalogueWork]:
    """Works with a DOI from the three real exports (titles, authors, years, journals, pages)."""
    exports = reference_dir / "fixtures" / "exports"
    works: dict[str, CatalogueWork] = {}
    for name, origin in (
        ("litstudy_scopus.csv", "scopus"),
        ("litstudy_example.ris", "ris"),
        ("metaknowledge_medline_test.medline", "medline"),
    ):
        result = read_path(exports / name)
        for row in result.frame.iter_rows(named=True):
            extra = row["extra"] or {}
            ids = find_identifiers(
                " ".join(str(extra.get(c) or "") for c in result.identifier_columns)
            )
            doi = next((i.value for i in ids if i.scheme == "doi"), None)
            pmid = next((i.value for i in ids if i.scheme == "pmid"), None) or _field(
                extra, "PMID", "PubMed ID"
            )
            if not doi or not row["title"] or not row["year"]:
                continue
            pages = _field(extra, "Page start", "PG", "SP") or ""
            works.setdefault(
                doi,
                CatalogueWork(
                    doi=doi,
                    title=str(row["title"]).rstrip("."),
                    year=int(row["year"]),
                    authors=_names(row["authors"], origin),
                    journal=row["journal"],
                    volume=_field(extra, "Volume", "VI", "VL"),
                    first_page=pages.split("-")[0] or None,
                    pmid=pmid if pmid and pmid.isdigit() else None,
                ),
            )
    return list(works.values())


def plos_records(reference_dir: Path, n: int, seed: int) -> list[CatalogueWork]:
    """A seeded sample of PLOS ALM articles (no authors or pages in that file)."""
    path = reference_dir / "data" / "plos_alm" / "counts-raw.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle, delimiter="\t") if r.get("title") and r.get("year")
        ]
    rng = random.Random(seed)
    return [
        CatalogueWork(
            doi=r["doi"].lower(),
            title=r["title"].strip(),
            year=int(r["year"]),
            journal=PLOS_JOURNALS.get(r["journal"], r["journal"]),
            pmid=r["pmid"] if r.get("pmid", "").isdigit() else None,
        )
        for r in rng.sample(rows, n)
    ]


def render(work: CatalogueWork, style: str) -> str:
    """One reference string in a citation style, without the DOI."""
    surnames = [f for _, f in work.authors]
    initials = [
        "".join(p[0] for p in g.replace(".", " ").replace("-", " ").split())
        for g, _ in work.authors
    ]
    volume = work.volume or ""
    page = work.first_page or ""
    if style == "vancouver":
        names = ", ".join(
            f"{s} {i}".strip() for s, i in list(zip(surnames, initials, strict=True))[:6]
        )
        names += ", et al" if len(surnames) > 6 else ""
        source = f"{work.year}" + (f";{volume}" if volume else "") + (f":{page}" if page else "")
        return f"{names + '. ' if names else ''}{work.title}. {work.journal}. {source}."
    dotted = [". ".join(i) + "." if i else "" for i in initials]
    names = ", ".join(
        f"{s}, {d}".strip(", ") for s, d in list(zip(surnames, dotted, strict=True))[:7]
    )
    if not names:  # no authors known (the PLOS file): the title leads, as the styles say
        return (
            f"{work.title}. ({work.year}). {work.journal}."
            if style != "vancouver"
            else f"{work.title}. {work.journal}. {work.year}."
        )
    if style == "apa":
        tail = (f", {volume}" if volume else "") + (f", {page}" if page else "")
        return f"{names} ({work.year}). {work.title}. {work.journal}{tail}."
    tail = (f", {volume}" if volume else "") + (f", pp. {page}" if page else "")
    return f"{names} ({work.year}) {work.title}. {work.journal}{tail}."


def near_misses(work: CatalogueWork, rng: random.Random) -> list[CatalogueWork]:
    """Works a careless matcher would take for this one."""
    stem = work.doi.rsplit("/", 1)
    misses = [
        CatalogueWork(
            doi=f"{work.doi}.later",
            title=work.title,
            year=(work.year or 2000) + rng.choice((-3, -2, 2, 3)),
            authors=(*work.authors[:1], ("A", "Other")),
            journal=work.journal,
            volume=str(int(work.volume) + 3) if (work.volume or "").isdigit() else None,
        ),
        CatalogueWork(
            doi=f"{work.doi}.erratum",
            title=f"Erratum: {work.title}",
            year=(work.year or 2000) + 1,
            authors=work.authors,
            journal=work.journal,
            type="journal-article",
        ),
    ]
    if rng.random() < 0.5:
        misses.append(
            CatalogueWork(
                doi=f"10.9999/abstract.{stem[-1]}",
                title=work.title,
                year=work.year,
                authors=work.authors[:2],
                journal="Annual Scientific Meeting Abstracts",
                type="proceedings-article",
            )
        )
    return misses


def as_written(work: CatalogueWork, rng: random.Random) -> CatalogueWork:
    """The work as a person writes it in a CV: one slip (a word dropped, the print year a year
    off the online one, a typo, the title in sentence case)."""
    words = work.title.split()
    slip = rng.choice(("drop", "year", "typo", "case"))
    if slip == "drop" and len(words) > 4:
        del words[rng.randrange(1, len(words))]
        return replace(work, title=" ".join(words))
    if slip == "year" and work.year:
        return replace(work, year=work.year + rng.choice((-1, 1)))
    if slip == "typo" and len(work.title) > 12:
        at = rng.randrange(1, len(work.title) - 2)
        chars = list(work.title)
        chars[at], chars[at + 1] = chars[at + 1], chars[at]
        return replace(work, title="".join(chars))
    return replace(work, title=work.title[:1] + work.title[1:].lower())


def build(
    reference_dir: Path,
    *,
    plos: int = 250,
    absent_share: float = 0.1,
    noisy_share: float = 0.25,
    seed: int = 12,
) -> tuple[list[LabelledReference], list[CatalogueWork]]:
    """(labelled references, the catalogue the mock API searches)."""
    rng = random.Random(seed)
    records = [(w, "export") for w in export_records(reference_dir)]
    records += [(w, "plos") for w in plos_records(reference_dir, plos, seed)]
    rng.shuffle(records)
    labelled: list[LabelledReference] = []
    catalogue: list[CatalogueWork] = []
    for index, (work, origin) in enumerate(records):
        absent = rng.random() < absent_share
        if not absent:
            catalogue.append(work)
        catalogue += near_misses(work, rng)
        style = STYLES[index % len(STYLES)]
        written = as_written(work, rng) if rng.random() < noisy_share else work
        labelled.append(
            LabelledReference(render(written, style), style, None if absent else work.doi, origin)
        )
    for i, title in enumerate(SHORT_TITLES * 8):
        catalogue.append(
            CatalogueWork(
                doi=f"10.9999/short.{i}",
                title=title,
                year=2000 + i % 20,
                journal=f"Journal {i % 9}",
            )
        )
    return labelled, catalogue
