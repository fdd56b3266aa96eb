"""Identifiers: parsing and normalisation (scalar in `parse`, Polars in `expressions`, one set of
patterns in `patterns`), the canonical work key and its inverse. Every caller goes through here."""

from lib.ids.expressions import parse_identifier_expr, work_key_expr
from lib.ids.parse import (
    Identifier,
    Invalid,
    Scheme,
    bare_orcid,
    find_identifiers,
    normalize_doi,
    orcid_checksum_ok,
    parse_identifier,
    parse_work_key,
    work_key,
    work_key_of,
)

__all__ = [
    "Identifier",
    "Invalid",
    "Scheme",
    "bare_orcid",
    "find_identifiers",
    "normalize_doi",
    "orcid_checksum_ok",
    "parse_identifier",
    "parse_identifier_expr",
    "parse_work_key",
    "work_key",
    "work_key_expr",
    "work_key_of",
]
