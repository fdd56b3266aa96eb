"""Altmetric Details Page API (counts): attention counters and the Altmetric score, one id a call.

Two rules specific to this API: a 404 means Altmetric has no attention record (not_found), and when
a record does exist, a `cited_by_*_count` counter it leaves out is zero (Altmetric omits zero
counters). That is the one place in the project where absent means zero, and only for those
counters; Mendeley readers stay missing unless reported (-1 means "not known").
"""

from __future__ import annotations

from typing import Any

from lib.settings import Settings
from lib.sources._common import (
    bare_doi,
    compact,
    decode_json,
    dig,
    digits_pmid,
    http_failure,
    number,
    request_to,
    same_status,
    skipped,
)
from lib.sources.base import ApiRequest, WorkIds, WorkResult

NAME = "altmetric"
NO_KEY = "no Altmetric API key (required for all users since 10 Nov 2025)"
NOT_FOUND = "no attention record"

# What each counter counts, per Altmetric's field glossary (counts-and-citations-field-glossary):
# news and blogs are distinct outlets and blogs, X is distinct accounts (apis.md §12.2).
COUNTERS: dict[str, str] = {
    "cited_by_msm_count": "news_mentions",
    "cited_by_feeds_count": "blog_mentions",
    "cited_by_policies_count": "policy_mentions",
    "cited_by_patents_count": "patent_mentions",
    "cited_by_wikipedia_count": "wikipedia_mentions",
    "cited_by_peer_review_sites_count": "peer_review_mentions",
    # the field glossary: the number of X (Twitter) *accounts*, not posts
    "cited_by_tweeters_count": "x_accounts",
    "cited_by_fbwalls_count": "facebook_mentions",
    "cited_by_rdts_count": "reddit_mentions",
    "cited_by_bluesky_count": "bluesky_mentions",
    "cited_by_videos_count": "video_mentions",
}
READERS: dict[str, str] = {"mendeley": "mendeley_readers", "citeulike": "citeulike_readers"}


def build_requests(
    works: list[WorkIds], settings: Settings
) -> tuple[list[ApiRequest], list[WorkResult]]:
    """One GET per work (`/doi/<doi>` with raw slashes, else `/pmid/<n>`); all skipped without a key."""
    key = settings.key_for(NAME)
    if not key:
        return [], skipped(works, NO_KEY)
    requests, lacking = [], []
    for work in works:
        doi, pmid = bare_doi(work.doi), digits_pmid(work.pmid)
        if doi:
            # slashes stay raw as the API asks; only characters that would end the path are escaped
            raw = doi.replace("%", "%25").replace("?", "%3F").replace("#", "%23")
            path, ident = f"/doi/{raw}", doi
        elif pmid:
            path, ident = f"/pmid/{pmid}", pmid
        else:
            lacking.append(work)
            continue
        requests.append(
            request_to(settings, NAME, path, ((ident, work.key),), params=(("key", key),))
        )
    return requests, skipped(lacking, "no DOI or PMID to look up")


def parse_response(request: ApiRequest, http_status: int, body: str) -> list[WorkResult]:
    """The attention counters of the one work asked about; 404 is not_found."""
    failure = http_failure(request, http_status, body, NOT_FOUND)
    if failure is not None:
        return failure
    value, problem = decode_json(body)
    if problem is None and not (isinstance(value, dict) and "altmetric_id" in value):
        problem = "unexpected Altmetric response shape (no `altmetric_id`)"
    if problem:
        return same_status(request, "error", problem, http_status)
    return [_result(key, value, http_status) for key in request.keys]


def _readers(value: object) -> float | None:
    """Reader counts arrive as ints or strings ("9"); -1 means Altmetric does not know."""
    count = number(value)
    return count if count is not None and count >= 0 else None


def _result(key: str, record: dict[str, Any], http_status: int) -> WorkResult:
    metrics: dict[str, float | None] = {
        metric: number(record.get(field)) or 0.0 for field, metric in COUNTERS.items()
    }
    metrics["altmetric_score"] = number(record.get("score"))
    for field, metric in READERS.items():
        metrics[metric] = _readers(dig(record, "readers", field))
    work = compact(
        {
            "doi": bare_doi(record.get("doi")),
            "pmid": digits_pmid(record.get("pmid")),
            "title": record.get("title"),
            "journal": record.get("journal"),
        }
    )
    return WorkResult(key, "ok", metrics=compact(metrics), work=work, http_status=http_status)
