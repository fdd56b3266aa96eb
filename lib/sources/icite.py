"""NIH iCite: RCR, NIH percentile, APT, clinical citations and citations per year, by PMID.

Reads both response formats: the legacy one ("Yes"/"No" strings, authors as one string) and the
2025 one (booleans, author objects, `citedByPmidsByYear`). A provisional RCR (the last ~2 fiscal
years) is reported in the result message, never as a metric.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    batch_size,
    batches,
    compact,
    dig,
    digits_pmid,
    identified,
    number,
    parse_matched,
    request_to,
    skipped,
    year_of,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "icite"
NO_PMID = "no PMID; resolve it from OpenAlex or Europe PMC first"
NOT_FOUND = "iCite has no record for this PMID"


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """`/pubs?pmids=…` in batches; works without a PMID are skipped."""
    pairs, lacking = identified(works, lambda work: digits_pmid(work.pmid))
    requests = [
        request_to(settings, NAME, "/pubs", lookup, params=(("pmids", ",".join(pmids)),))
        for pmids, lookup in batches(pairs, batch_size(settings, NAME))
    ]
    return requests, skipped(lacking, NO_PMID)


def _records(value: Any) -> list[dict[str, Any]] | None:
    records = dig(value, "data")
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else None


def _pmid(record: dict[str, Any]) -> str | None:
    return digits_pmid(record.get("pmid") or record.get("_id"))


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """One result per asked key; PMIDs absent from `data` are not_found."""
    return parse_matched(
        request,
        http_status,
        body,
        records=_records,
        identifiers=lambda record: (_pmid(record),),
        result=_result,
        bad_shape="unexpected iCite response shape (no `data` list)",
        not_found=NOT_FOUND,
    )


def _flag(value: object) -> bool | None:
    """iCite booleans: true/false (2025) or "Yes"/"No" (legacy)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"yes", "no", "true", "false"}:
        return value.strip().lower() in {"yes", "true"}
    return None


def _clinical_citations(record: dict[str, Any]) -> float | None:
    for field in ("cited_by_clin", "citedByClinicalArticle"):
        # the 2025 `citedByClinicalArticle` is a boolean, not a count: only lists are counted
        if isinstance(record.get(field), list):
            return float(len(record[field]))
    return None


def _citations_by_year(record: dict[str, Any]) -> dict[int, float]:
    """Citing papers per year from `citedByPmidsByYear` ([{"<pmid>": year}, ...])."""
    entries = record.get("citedByPmidsByYear")
    if not isinstance(entries, list):
        return {}
    years = Counter(
        year
        for entry in entries
        if isinstance(entry, dict)
        for year in map(year_of, entry.values())
        if year is not None
    )
    return {year: float(n) for year, n in sorted(years.items())}


def _authors(value: object) -> list[str] | None:
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    if isinstance(value, list):
        names = [a.get("fullName") if isinstance(a, dict) else a for a in value]
        return [str(n) for n in names if n]
    return None


def _result(key: str, record: dict[str, Any]) -> WorkResult:
    metrics = compact(
        {
            "citations_icite": number(record.get("citation_count")),
            "rcr": number(record.get("relative_citation_ratio")),
            "nih_percentile": number(record.get("nih_percentile")),
            "apt": number(record.get("apt")),
            "clinical_citations": _clinical_citations(record),
        }
    )
    per_year = _citations_by_year(record)
    work: dict[str, Any] = compact(
        {
            "pmid": _pmid(record),
            "doi": bare_doi(record.get("doi")),
            "title": record.get("title"),
            "journal": record.get("journal"),
            "year": year_of(record.get("year")),
            "authors": _authors(record.get("authors")),
        }
    )
    provisional = _flag(record.get("provisional"))
    return WorkResult(
        key,
        "ok",
        metrics=metrics,
        per_year={"citations": per_year} if per_year else {},
        work=work,
        message="provisional RCR" if provisional else "",
    )
