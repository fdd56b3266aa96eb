"""Upload page helpers: read and validate an upload (cached), save it, summarise and export it.

A whole-file problem (`UploadRejected`) comes back as `Prepared.error`, a message for the page, so
nothing a librarian drops on the page can raise. Exports are built only when a download button is
clicked, from a cache keyed on the database version, so the page itself stays fast.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import streamlit as st

from lib import exports, store
from lib.readers import FORMAT_LABELS as FORMAT_LABELS
from lib.readers import (
    FORMATS,
    DetectedFormat,
    ReadResult,
    UploadRejected,
    ValidationReport,
    detect_format,
    read_upload,
    validate,
)
from lib.ui import collection_summary, db_path, version

PASTE_NAME = "pasted identifiers"
PREVIEW_ROWS = 200
EXPORT_MIMES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass
class Prepared:
    """An upload read and validated, or the reason it cannot be used."""

    filename: str
    digest: str
    detected: DetectedFormat | None = None
    result: ReadResult | None = None
    report: ValidationReport | None = None
    error: str | None = None
    fields: tuple[str, ...] = ()  # the columns, when none was recognised as identifiers

    @property
    def ok(self) -> bool:
        return self.report is not None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


# Parsed uploads, kept by bytes, not by entries: eight cached 200 MB uploads held the server at
# 1.9 GB. The budget counts the upload's bytes plus the frames read from it.
PREPARED_CACHE_BYTES = 384 * 1024 * 1024


class _PreparedCache:
    """A least-recently-used cache of prepared uploads with a byte budget, shared by sessions."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.entries: OrderedDict[tuple[object, ...], tuple[Prepared, int]] = OrderedDict()
        self.lock = threading.Lock()

    @property
    def used(self) -> int:
        return sum(size for _, size in self.entries.values())

    def get(self, key: tuple[object, ...]) -> Prepared | None:
        with self.lock:
            hit = self.entries.get(key)
            if hit is None:
                return None
            self.entries.move_to_end(key)
            return hit[0]

    def put(self, key: tuple[object, ...], prepared: Prepared, size: int) -> None:
        with self.lock:
            self.entries[key] = (prepared, size)
            self.entries.move_to_end(key)
            while len(self.entries) > 1 and self.used > self.budget:
                self.entries.popitem(last=False)
            if size > self.budget:  # one upload over the budget is not kept at all
                self.entries.pop(key, None)


PREPARED = _PreparedCache(PREPARED_CACHE_BYTES)


def _size_of(data: bytes, prepared: Prepared) -> int:
    size = len(data)
    if prepared.result is not None:
        size += int(prepared.result.frame.estimated_size())
    if prepared.report is not None:
        size += int(prepared.report.items.estimated_size())
    return size


def prepare_upload(
    data: bytes,
    filename: str,
    id_columns: tuple[str, ...] | None = None,
    format: str | None = None,
) -> Prepared:
    """Read, detect and validate an upload (cached by bytes); whole-file problems become `error`.

    `format` is the user's choice when detection is unsure or wrong.
    """
    key = (digest_of(data), len(data), filename, id_columns, format)
    cached = PREPARED.get(key)
    if cached is not None:
        return cached
    with st.spinner("Reading and validating…"):
        prepared = _prepare(data, filename, id_columns, format)
    PREPARED.put(key, prepared, _size_of(data, prepared))
    return prepared


def _prepare(
    data: bytes, filename: str, id_columns: tuple[str, ...] | None, format: str | None
) -> Prepared:
    prepared = Prepared(filename=filename, digest=digest_of(data))
    try:
        prepared.detected = detect_format(data, filename)
        if format:
            prepared.detected = DetectedFormat(format, 1.0, "Format chosen by you.")
        prepared.result = read_upload(
            data, filename, format=format, id_columns=list(id_columns) if id_columns else None
        )
        prepared.report = validate(prepared.result)
    except UploadRejected as rejected:
        prepared.error = str(rejected)
        prepared.fields = tuple(rejected.fields)
    except Exception as error:  # a reader bug must not take the page down
        prepared.error = (
            f"The file could not be read ({type(error).__name__}: {error}). Check that it is one "
            "of the supported formats, or export it again as CSV."
        )
    return prepared


def format_choices() -> dict[str, str]:
    """Formats a person can force, by label ('' = detect from the content)."""
    return {"": "Detect from the content", **{f: FORMAT_LABELS.get(f, f) for f in FORMATS}}


def prepare_paste(text: str) -> Prepared:
    """Pasted identifiers, read like a plain-text file."""
    if not text.strip():
        return Prepared(
            filename=PASTE_NAME,
            digest=digest_of(b""),
            error="Nothing was pasted: paste DOIs, PMIDs, PMCIDs or links, one or more per line.",
        )
    return prepare_upload(text.encode("utf-8"), PASTE_NAME)


def default_collection_name(filename: str) -> str:
    """A collection name from the file name: no extension, separators as spaces."""
    if filename == PASTE_NAME:
        return "Pasted list"
    stem = re.sub(r"[_\s]+", " ", Path(filename).stem).strip()
    return stem or "Uploaded list"


def existing_collections() -> list[str]:
    names: list[str] = collection_summary(str(db_path()), version())["collections_frame"][
        "name"
    ].to_list()
    return names


def scheme_rows(report: ValidationReport) -> list[dict[str, object]]:
    """Valid items per identifier scheme, for a small table."""
    return [{"Scheme": s.upper(), "Valid items": n} for s, n in report.by_scheme.items()]


def preview_frame(prepared: Prepared, limit: int = PREVIEW_ROWS) -> pl.DataFrame:
    """The first rows as read: row, identifier, status and why, with title, year and journal."""
    if prepared.report is None or prepared.result is None:
        return pl.DataFrame()
    items = prepared.report.items.head(limit).select(
        "position", "row", "input", "key", "status", "reason"
    )
    frame = prepared.result.frame.select("row", "title", "year", "journal")
    if frame.height == prepared.report.total:
        meta = frame.head(limit).with_columns(position=pl.int_range(1, pl.len() + 1)).drop("row")
        return items.join(meta, on="position", how="left").drop("position")
    meta = frame.unique("row", keep="first", maintain_order=True)
    return items.join(meta, on="row", how="left").drop("position")


def save_upload(prepared: Prepared, name: str) -> dict[str, int]:
    """Save (or update) the collection; fetched data of its works is kept."""
    from lib.ingest import import_rows

    if prepared.result is None or prepared.report is None:
        raise UploadRejected(prepared.error or "Nothing to save.")
    with store.connect(db_path()) as con:
        counts = import_rows(
            con, prepared.result, prepared.report, name, filename=prepared.filename
        )
    # Reads are keyed on the file's mtime; clearing also covers a coarse-mtime filesystem.
    collection_summary.clear()
    _collection_status.clear()
    return counts


@st.cache_data(show_spinner=False, max_entries=32)
def _collection_status(
    path: str, collection: str, data_version: tuple[float, float]
) -> dict[str, object]:
    with store.connect(path) as con:
        items = store.collection_items(con, collection)
        info = store.get_collection(con, collection) or {}
    counts = dict(items["status"].value_counts().iter_rows())
    return {
        "items": items.height,
        "valid": counts.get("valid", 0),
        "invalid": counts.get("invalid", 0),
        "duplicate": counts.get("duplicate", 0),
        "excluded": int(items["excluded"].sum()) if items.height else 0,
        "meta": info.get("meta") or {},
        "updated_at": info.get("updated_at"),
    }


def collection_status(collection: str) -> dict[str, object]:
    """Item counts by status and how the collection was imported."""
    return _collection_status(str(db_path()), collection, version())


@st.cache_data(show_spinner=False, max_entries=6)
def _export_bytes(path: str, collection: str, fmt: str, data_version: tuple[float, float]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{fmt}"
        with store.connect(path) as con:
            exports.export_collection(con, collection, fmt, out)
        return out.read_bytes()


def export_data(collection: str, fmt: str) -> Callable[[], bytes]:
    """A callable for `st.download_button`: the bytes are built on click, cached per db version."""
    return functools.partial(_export_bytes, str(db_path()), collection, fmt, version())


def export_file_name(collection: str, fmt: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", collection).strip("-") or "collection"
    return f"{slug}.{fmt}"
