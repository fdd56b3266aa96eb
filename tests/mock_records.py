"""Deterministic API-shaped records for the mock API (tests/mockapi.py), derived from an id's hash.

Shapes follow the real bodies in `shared/fixtures/api/`; every source agrees on a work's DOI, PMID
and PMCID, so PMID resolution through OpenAlex / Europe PMC behaves as it does for real.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from tests.mockapi import Behaviour, MockState


def stable(text: str, salt: str = "") -> int:
    """A stable 64-bit number from an identifier."""
    return int.from_bytes(hashlib.blake2b(f"{salt}|{text}".encode(), digest_size=8).digest(), "big")


def pmid_for_doi(doi: str, fraction: float) -> str | None:
    """The PMID every source agrees a DOI has (or none, for a stable share of DOIs)."""
    if stable(doi.lower(), "has-pmid") % 1000 >= fraction * 1000:
        return None
    return str(10_000_000 + stable(doi.lower(), "pmid") % 29_000_000)


def cites(ident: str, source: str) -> int:
    return stable(ident, "cites") % 400 + stable(ident, source) % 7


def _year(ident: str) -> int:
    return 2005 + stable(ident, "year") % 20


def _doi_out(doi: str | None, b: Behaviour) -> str | None:
    if doi is None:
        return None
    return (doi.upper() if b.doi_case == "upper" else doi) + b.doi_trailing


def _identity(kind: str, value: str, state: MockState, b: Behaviour) -> dict[str, str | None]:
    """doi/pmid/pmcid of the work an id names, consistent across sources."""
    if kind == "doi":
        doi = value.lower()
        pmid = pmid_for_doi(doi, b.pmid_fraction)
        if pmid:
            state.pmid_to_doi.setdefault(pmid, doi)
    else:
        pmid = value
        doi = state.pmid_to_doi.get(pmid)
    anchor = doi or f"pmid:{pmid}"
    pmcid = (
        f"PMC{1_000_000 + stable(anchor, 'pmc') % 9_000_000}"
        if pmid and stable(anchor, "oa") % 3 == 0
        else None
    )
    return {"doi": doi, "pmid": pmid, "pmcid": pmcid, "anchor": anchor}


def openalex_work(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a = ident["anchor"]
    year = _year(a)
    wid = f"W{stable(a, 'oa-id') % 10**10}"
    doi = _doi_out(ident["doi"], b)
    oa_status = ("gold", "green", "hybrid", "bronze", "closed", "diamond")[stable(a, "oa") % 6]
    fwci = None if year >= 2024 else round(stable(a, "fwci") % 5000 / 1000, 3)
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": f"https://doi.org/{doi}" if doi else None,
        "title": f"Mock work {a}",
        "display_name": f"Mock work {a}",
        "publication_year": year,
        "publication_date": f"{year}-0{1 + stable(a, 'm') % 9}-15",
        "ids": {
            "openalex": f"https://openalex.org/{wid}",
            **({"doi": f"https://doi.org/{doi}"} if doi else {}),
            **(
                {"pmid": f"https://pubmed.ncbi.nlm.nih.gov/{ident['pmid']}"}
                if ident["pmid"]
                else {}
            ),
            **(
                {"pmcid": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{ident['pmcid']}"}
                if ident["pmcid"]
                else {}
            ),
        },
        "language": "en",
        "primary_location": {
            "is_oa": oa_status != "closed",
            "source": {
                "id": "https://openalex.org/S1",
                "display_name": f"Journal {stable(a, 'j') % 50}",
                "type": "journal",
            },
        },
        "type": "article",
        "open_access": {
            "is_oa": oa_status != "closed",
            "oa_status": oa_status,
            "oa_url": None,
            "any_repository_has_fulltext": False,
        },
        "authorships": [
            {
                "author_position": pos,
                "author": {
                    "id": f"https://openalex.org/A{i}",
                    "display_name": f"Author {i}",
                    "orcid": None,
                },
                "institutions": [],
                "is_corresponding": pos == "first",
                "raw_author_name": f"Author {i}",
            }
            for i, pos in enumerate(("first", "middle", "last"))
        ],
        "cited_by_count": cites(a, "openalex"),
        "fwci": fwci,
        "citation_normalized_percentile": None
        if fwci is None
        else {
            "value": stable(a, "pct") % 1000 / 1000,
            "is_in_top_1_percent": False,
            "is_in_top_10_percent": False,
        },
        "is_retracted": stable(a, "retracted") % 500 == 0,
        "primary_topic": {
            "id": "https://openalex.org/T1",
            "display_name": "Mock topic",
            "subfield": {"id": "https://openalex.org/subfields/2700", "display_name": "Medicine"},
            "field": {"id": "https://openalex.org/fields/27", "display_name": "Medicine"},
            "domain": {"id": "https://openalex.org/domains/4", "display_name": "Health Sciences"},
        },
        "counts_by_year": [
            {"year": y, "cited_by_count": stable(a, f"y{y}") % 30}
            for y in range(2025, max(year, 2016) - 1, -1)
        ],
        "updated_date": "2026-11-01T00:00:00",
    }


def icite_record(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a, pmid = ident["anchor"], ident["pmid"]
    year = _year(a)
    count = cites(a, "icite")
    provisional = year >= 2024
    return {
        "_id": pmid,
        "pmid": int(pmid),
        "doi": _doi_out(ident["doi"], b),
        "title": f"Mock work {a}",
        "authors": [{"lastName": "Author", "fullName": "Author, One", "firstName": "One"}],
        "year": year,
        "journal": f"J Mock {stable(a, 'j') % 50}",
        "is_research_article": True,
        "relative_citation_ratio": None if count == 0 else round(stable(a, "rcr") % 4000 / 1000, 2),
        "nih_percentile": None if count == 0 else round(stable(a, "nihp") % 1000 / 10, 1),
        "provisional": provisional,
        "human": 1,
        "animal": 0,
        "molecular_cellular": 0,
        "apt": (0.05, 0.25, 0.5, 0.75, 0.95)[stable(a, "apt") % 5],
        "is_clinical": stable(a, "clin") % 4 == 0,
        "citation_count": count,
        "cited_by_clin": [str(20_000_000 + i) for i in range(stable(a, "cc") % 4)],
        "citedByClinicalArticle": stable(a, "cc") % 4 > 0,
        "expected_citations_per_year": 3.1,
        "field_citation_rate": 4.2,
        "citations_per_year": round(count / max(1, 2026 - year), 2),
        "citedByPmidsByYear": [{str(30_000_000 + i): year + i % 3} for i in range(min(count, 5))],
        "references": [],
    }


def crossref_item(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a = ident["anchor"]
    year = _year(a)
    return {
        "DOI": _doi_out(ident["doi"], b),
        "title": [f"Mock work {a}"],
        "container-title": [f"Journal {stable(a, 'j') % 50}"],
        "is-referenced-by-count": cites(a, "crossref"),
        "references-count": 30,
        "issued": {"date-parts": [[year, 1 + stable(a, "m") % 9, 15]]},
        "type": "journal-article",
        "publisher": "Mock Publisher",
        "author": [{"given": "One", "family": "Author", "sequence": "first", "affiliation": []}],
        "URL": f"https://doi.org/{ident['doi']}",
        **_relation(ident["doi"], b),
    }


def _relation(doi: str | None, b: Behaviour) -> dict[str, Any]:
    """Crossref's `relation` as publishers and preprint servers deposit it (DOIs, asserted-by)."""
    preprints = [p for published, p in b.preprints if published == doi]
    published = [q for q, preprint in b.preprints if preprint == doi]
    relation = {}
    if preprints:
        relation["has-preprint"] = [
            {"id-type": "doi", "id": p, "asserted-by": "object"} for p in preprints
        ]
    if published:
        relation["is-preprint-of"] = [
            {"id-type": "doi", "id": q, "asserted-by": "subject"} for q in published
        ]
    return {"relation": relation} if relation else {}


def europepmc_result(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a = ident["anchor"]
    year = _year(a)
    record = {
        "id": ident["pmid"] or f"PPR{stable(a) % 10**6}",
        "source": "MED" if ident["pmid"] else "PPR",
        "title": f"Mock work {a}",
        "authorString": "Author O.",
        "journalTitle": f"J Mock {stable(a, 'j') % 50}",
        "pubYear": str(year),
        "pubType": "journal article",
        "isOpenAccess": "Y" if ident["pmcid"] else "N",
        "inEPMC": "Y" if ident["pmcid"] else "N",
        "inPMC": "Y" if ident["pmcid"] else "N",
        "hasPDF": "N",
        "citedByCount": cites(a, "europepmc"),
        "firstPublicationDate": f"{year}-03-01",
    }
    for name, value in (
        ("pmid", ident["pmid"]),
        ("pmcid", ident["pmcid"]),
        ("doi", _doi_out(ident["doi"], b)),
    ):
        if value:
            record[name] = value
    return record


def s2_paper(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a = ident["anchor"]
    external = {"CorpusId": stable(a, "corpus") % 10**9}
    if ident["doi"]:
        external["DOI"] = _doi_out(ident["doi"], b)
    if ident["pmid"]:
        external["PubMed"] = ident["pmid"]
    return {
        "paperId": hashlib.sha1(a.encode()).hexdigest(),
        "externalIds": external,
        "title": f"Mock work {a}",
        "year": _year(a),
        "venue": "Mock Venue",
        "citationCount": cites(a, "semanticscholar"),
        "influentialCitationCount": stable(a, "infl") % 10,
        "referenceCount": 30,
        "isOpenAccess": bool(ident["pmcid"]),
    }


def altmetric_record(ident: dict[str, Any], b: Behaviour) -> dict[str, Any]:
    a = ident["anchor"]
    record: dict[str, Any] = {
        "title": f"Mock work {a}",
        "doi": _doi_out(ident["doi"], b),
        "altmetric_id": stable(a, "alt") % 10**8,
        "score": round(stable(a, "score") % 50000 / 100, 2),
        "cited_by_accounts_count": 0,
        "readers": {"citeulike": "0", "mendeley": str(stable(a, "mend") % 300), "connotea": "0"},
        "readers_count": 0,
        "history": {"at": 1.0},
        "last_updated": 1_790_000_000,
        "schema": "1.5.4",
    }
    if ident["pmid"]:
        record["pmid"] = ident["pmid"]
    # Real counters are omitted when zero.
    for counter in (
        "cited_by_msm_count",
        "cited_by_feeds_count",
        "cited_by_tweeters_count",
        "cited_by_wikipedia_count",
        "cited_by_policies_count",
    ):
        value = stable(a, counter) % 6
        if value:
            record[counter] = value
    record["cited_by_accounts_count"] = sum(
        v
        for k, v in record.items()
        if k.startswith("cited_by_") and k.endswith("_count") and isinstance(v, int)
    )
    return record


def orcid_works(orcid: str) -> dict[str, Any]:
    groups = []
    for i in range(3 + stable(orcid, "n") % 5):
        doi = f"10.5555/{orcid.replace('-', '')[-6:]}.{i}"
        ids = [
            {
                "external-id-type": "doi",
                "external-id-value": doi,
                "external-id-normalized": {"value": doi, "transient": True},
                "external-id-url": {"value": f"https://doi.org/{doi}"},
                "external-id-relationship": "self",
            }
        ]
        summary = {
            "put-code": 1000 + i,
            "title": {"title": {"value": f"Mock ORCID work {i}"}},
            "external-ids": {"external-id": ids},
            "type": "journal-article",
            "publication-date": {"year": {"value": str(2010 + i)}},
            "journal-title": {"value": "Mock Journal"},
        }
        groups.append({"external-ids": {"external-id": ids}, "work-summary": [summary]})
    return {
        "last-modified-date": {"value": 1_790_000_000_000},
        "group": groups,
        "path": f"/{orcid}/works",
    }


# ---------------------------------------------------------------- Wikipedia external links

_MW_KEPT_ESCAPED = '"#%<>[\\]^`{|}/?'


def cs1_doi_link(doi: str) -> str:
    """How a citation template's `doi=` link is stored: `//doi.org/` + the DOI PATH-encoded
    (Scribunto: everything but unreserved characters), then MediaWiki's link normalisation,
    which unescapes what need not be escaped (Parser::normalizeLinkUrl); stored as https."""
    encoded = quote(doi, safe="-_.~")

    def unescape(match: re.Match[str]) -> str:
        char = chr(int(match[0][1:], 16))
        return char if 32 < ord(char) < 127 and char not in _MW_KEPT_ESCAPED else match[0].upper()

    return "https://doi.org/" + re.sub(r"%[0-9A-Fa-f]{2}", unescape, encoded)


def wikipedia_links(doi: str) -> list[dict[str, Any]]:
    """The article-namespace pages linking a DOI, in the forms real pages store: template links
    (encoded slash) in the registered case, hand-written raw links over https and http; plus one
    page linking a longer DOI that shares the prefix (must not count)."""
    registered = doi.upper() if stable(doi, "case") % 2 else doi
    forms = (
        cs1_doi_link(registered),
        cs1_doi_link(registered),
        "https://doi.org/" + registered,
        "http://doi.org/" + doi,
    )
    links = [
        {
            "pageid": stable(doi, f"page{i}") % 10**7,
            "ns": 0,
            "title": f"Article {i} on {doi}",
            "url": forms[stable(doi, f"form{i}") % len(forms)],
        }
        for i in range(wikipedia_articles(doi))
    ]
    links.append({"pageid": 1, "ns": 0, "title": "Decoy", "url": cs1_doi_link(doi + "0")})
    return links


def wikipedia_articles(doi: str) -> int:
    """How many distinct articles link the DOI in the mock (the count a client must find)."""
    return stable(doi, "wiki") % 4


def openalex_duplicates(records: list[dict[str, Any]], b: Behaviour) -> list[dict[str, Any]]:
    """OpenAlex holds duplicate records of some works: a stub with another id and fewer
    citations, here sent before the real record (so "the first record wins" picks the stub)."""
    out = []
    for record in records:
        doi = str(record.get("doi") or "")
        if doi and b.oa_duplicates and stable(doi, "dup") % 1000 < b.oa_duplicates * 1000:
            stub_id = f"https://openalex.org/W{stable(doi, 'dup-id') % 10**10 + 10**10}"
            out.append(
                {
                    **record,
                    "id": stub_id,
                    "ids": {**record.get("ids", {}), "openalex": stub_id},
                    "cited_by_count": 0,
                    "counts_by_year": [],
                }
            )
        out.append(record)
    return out
