"""ORCID public API: a person's works, for building a portfolio (not an enrichment source).

Each `group` of `/{orcid}/works` is one de-duplicated work; the body is read by the same parser
as an uploaded ORCID file (`lib.ids.orcid_works`), so a fetch and an upload give the same works.
"""

from __future__ import annotations

import polars as pl

from lib import ids
from lib.ids.orcid_works import WORK_SCHEMA, work_groups, works_frame
from lib.settings import Settings
from lib.sources._common import ResponseError, decode_json, request_to
from lib.sources.base import ApiRequest

NAME = "orcid"
COLUMNS = ("doi", "pmid", "pmcid", "title", "year", "journal", "type")
SCHEMA = {c: WORK_SCHEMA[c] for c in COLUMNS}


def bare_orcid(text: str) -> str:
    """ "0000-0002-0766-7305" from any ORCID spelling (checksum checked); ValueError otherwise."""
    orcid = ids.bare_orcid(text)
    if orcid is None:
        raise ValueError(f"not an ORCID iD: {text!r}")
    return orcid


def build_works_request(orcid: str, settings: Settings) -> ApiRequest:
    """GET /{orcid}/works as JSON."""
    path = f"/{bare_orcid(orcid)}/works"
    return request_to(settings, NAME, path, headers=(("Accept", "application/json"),))


def parse_works(body: str) -> pl.DataFrame:
    """One row per work group: doi, pmid, pmcid, title, year, journal, type (null when unknown)."""
    value, problem = decode_json(body)
    groups = work_groups(value) if problem is None else None
    if groups is None:
        raise ResponseError(problem or "unexpected ORCID works response (no `group` list)")
    return works_frame(groups).select(COLUMNS)
