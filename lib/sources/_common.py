"""Helpers every source module shares: identifier clean-up, JSON decoding, result bookkeeping."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar

import orjson

from lib.ids import Identifier, normalize_doi, parse_identifier
from lib.settings import DEFAULT_BATCH_SIZES, Settings
from lib.sources.base import ApiRequest, Status, WorkIds, WorkResult

T = TypeVar("T")


class ResponseError(ValueError):
    """A body that cannot be read as the documented shape (for helpers outside parse_response)."""


def bare_doi(text: object) -> str | None:
    """Lower-case bare DOI from any DOI spelling (URL, `doi:` prefix, trailing period), else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    return _bare_doi(text)


@functools.lru_cache(maxsize=65_536)
def _bare_doi(text: str) -> str | None:
    # every record's DOI is normalised several times (matching, work fields): once is enough
    return normalize_doi(text)


def digits_pmid(value: object) -> str | None:
    """PMID as its digits (no leading zeros), else None; a DOI or any other text is not a PMID."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value) if value > 0 else None
    parsed = parse_identifier(str(value), expect="pmid")
    return parsed.value if isinstance(parsed, Identifier) else None


def pmc_id(value: object) -> str | None:
    """PMCID as "PMC<digits>", from "PMC123", "123" or a PMC article URL, else None."""
    if value is None:
        return None
    text = str(value).strip()
    parsed = parse_identifier(f"PMC{text}" if text.isdigit() else text, expect="pmcid")
    return parsed.value if isinstance(parsed, Identifier) else None


def batched(items: Sequence[T], size: int) -> Iterator[list[T]]:
    """Consecutive chunks of at most `size` items."""
    size = max(1, int(size))
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def batch_size(settings: Settings, source: str) -> int:
    """Ids per request for a source, from settings with the documented default."""
    return max(1, int(settings.batch_sizes.get(source, DEFAULT_BATCH_SIZES.get(source, 1))))


def endpoint(settings: Settings, source: str, path: str = "") -> str:
    """Base URL (maybe overridden, maybe with a path prefix) plus a documented path."""
    return settings.base_urls[source].rstrip("/") + path


def group_by_identifier(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Identifier -> the work keys that asked for it (several works may share one identifier)."""
    grouped: dict[str, list[str]] = {}
    for identifier, key in pairs:
        keys = grouped.setdefault(identifier, [])
        if key not in keys:
            keys.append(key)
    return grouped


def lookup_pairs(by_identifier: dict[str, list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((ident, key) for ident, keys in by_identifier.items() for key in keys)


def unique_keys(pairs: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(key for _, key in pairs))


def identified(
    works: Iterable[WorkIds], identify: Callable[[WorkIds], str | None]
) -> tuple[list[tuple[str, str]], list[WorkIds]]:
    """(identifier, key) pairs for the works `identify` finds an id for, and the works it does not."""
    pairs, rest = [], []
    for work in works:
        ident = identify(work)
        if ident:
            pairs.append((ident, work.key))
        else:
            rest.append(work)
    return pairs, rest


def batches(
    pairs: Iterable[tuple[str, str]], size: int
) -> Iterator[tuple[list[str], tuple[tuple[str, str], ...]]]:
    """Distinct identifiers in chunks of `size`, each with its (identifier, work key) lookup."""
    for chunk in batched(list(group_by_identifier(pairs).items()), size):
        yield [ident for ident, _ in chunk], lookup_pairs(dict(chunk))


def request_to(
    settings: Settings,
    source: str,
    path: str = "",
    lookup: tuple[tuple[str, str], ...] = (),
    *,
    method: Literal["GET", "POST"] = "GET",
    params: Iterable[tuple[str, str]] = (),
    headers: Iterable[tuple[str, str]] = (),
    json: Any = None,
) -> ApiRequest:
    """A request to a source's endpoint + path, asking about the work keys in `lookup`."""
    return ApiRequest(
        source=source,
        method=method,
        url=endpoint(settings, source, path),
        params=tuple(params),
        headers=tuple(headers),
        json=json,
        keys=unique_keys(lookup),
        lookup=lookup,
    )


def decode_json(body: str | bytes | None) -> tuple[Any, str | None]:
    """(value, None) for a JSON body, else (None, a clear reason): HTML pages, empty or truncated.

    Decoded once per body: the fetcher, the paging hooks and the parser all read the same page,
    and a 100-work OpenAlex page is about a megabyte. Callers must not mutate the value."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    return _decode_text(text)


@functools.lru_cache(maxsize=64)
def _decode_text(text: str) -> tuple[Any, str | None]:
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return None, "empty response body"
    if stripped.startswith("<"):
        return None, "expected JSON, got an HTML/XML page: " + _snippet(stripped)
    try:
        return orjson.loads(stripped), None
    except orjson.JSONDecodeError as exc:
        return None, f"malformed or truncated JSON ({exc.msg} at char {exc.pos} of {len(stripped)})"


def _snippet(text: str, limit: int = 120) -> str:
    return " ".join(text[:limit].split())


def error_text(http_status: int, body: str | None) -> str:
    """What an HTTP error said, from a JSON `error`/`message` field or the start of the body."""
    value, _ = decode_json(body)
    if isinstance(value, dict):
        for field in ("message", "error", "detail"):
            if isinstance(value.get(field), str) and value[field]:
                return f"HTTP {http_status}: {value[field]}"
    return f"HTTP {http_status}: {_snippet(body or '') or 'no body'}"


def same_status(
    request: ApiRequest, status: str, message: str, http_status: int | None
) -> list[WorkResult]:
    """One result with the same status for every key the request asked about."""
    return [
        WorkResult(key, status, message=message, http_status=http_status)  # type: ignore[arg-type]
        for key in request.keys
    ]


def complete(
    request: ApiRequest,
    found: dict[str, WorkResult],
    http_status: int | None,
    not_found_message: str,
    missing: Status = "not_found",
) -> list[WorkResult]:
    """Results in request.keys order: the found ones, `missing` for every key not answered."""
    results = []
    for key in request.keys:
        result = found.get(key) or WorkResult(key, missing, message=not_found_message)
        result.http_status = http_status
        results.append(result)
    return results


def http_failure(
    request: ApiRequest, http_status: int, body: str | None, not_found: str | None
) -> list[WorkResult] | None:
    """Every key not_found on a 404 (`not_found` None: with the body's text), error on another
    HTTP error; None when the status is a success and the body is worth reading."""
    if http_status == 404:
        message = error_text(http_status, body) if not_found is None else not_found
        return same_status(request, "not_found", message, http_status)
    if http_status >= 400:
        return same_status(request, "error", error_text(http_status, body), http_status)
    return None


def parse_matched(
    request: ApiRequest,
    http_status: int,
    body: str,
    *,
    records: Callable[[Any], list[dict[str, Any]] | None],
    identifiers: Callable[[dict[str, Any]], Iterable[str | None]],
    result: Callable[[str, dict[str, Any]], WorkResult],
    bad_shape: str,
    not_found: str,
) -> list[WorkResult]:
    """The parse of a search-like answer: each asked key gets the first record that carries an
    identifier it was asked by; `records` picks the records (in preference order) from the JSON,
    or None when the body is not the documented shape (then every key is an error)."""
    failure = http_failure(request, http_status, body, not_found)
    if failure is not None:
        return failure
    value, problem = decode_json(body)
    candidates = records(value) if problem is None else None
    if candidates is None:
        return same_status(request, "error", problem or bad_shape, http_status)
    return match_records(
        request, candidates, http_status, identifiers=identifiers, result=result,
        not_found=not_found,
    )  # fmt: skip


def match_records(
    request: ApiRequest,
    candidates: Iterable[dict[str, Any]],
    http_status: int,
    *,
    identifiers: Callable[[dict[str, Any]], Iterable[str | None]],
    result: Callable[[str, dict[str, Any]], WorkResult],
    not_found: str,
) -> list[WorkResult]:
    """Each asked key gets the first candidate (in the order given: the caller's preference)
    that carries an identifier it was asked by; the others are `not_found`."""
    wanted = group_by_identifier(request.lookup)
    found: dict[str, WorkResult] = {}
    for record in candidates:
        for ident in identifiers(record):
            for key in wanted.get(ident or "", []):
                # several records may carry one identifier (duplicates, preprints): the first wins
                if key not in found:
                    found[key] = result(key, record)
    return complete(request, found, http_status, not_found)


def skipped(works: Iterable[WorkIds], message: str) -> list[WorkResult]:
    return [WorkResult(w.key, "skipped", message=message) for w in works]


def number(value: object) -> float | None:
    """A float from a JSON number or numeric string; None for null, booleans and anything else."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def year_of(value: object) -> int | None:
    """A plausible publication year from an int or string ("2020", "2020-05-01"), else None."""
    text = str(value).strip()[:4] if value is not None else ""
    return int(text) if text.isdigit() and 1000 <= int(text) <= 2999 else None


def date_of(parts: object) -> dt.date | None:
    """A date from "YYYY-MM-DD" or Crossref date-parts [[y, m, d]]; partial dates give None."""
    try:
        if isinstance(parts, str):
            return dt.date.fromisoformat(parts[:10])
        if isinstance(parts, list | tuple) and len(parts) >= 3:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (TypeError, ValueError):
        return None
    return None


def compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """The entries whose value is not None (absent stays absent, never becomes 0 or "")."""
    return {k: v for k, v in mapping.items() if v is not None and v != ""}


def dig(value: Any, *path: str | int) -> Any:
    """value[path[0]][path[1]]... or None as soon as a step is missing or the wrong type."""
    for step in path:
        if isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value
