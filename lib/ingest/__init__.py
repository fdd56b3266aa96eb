"""Filling the cache: what is missing or stale per source -> fetch -> store, with progress, cancel
and resume; imports of readers' rows into the store; portfolio builders (ORCID, files, pasted ids).

One fetch pipeline: every web request of the dashboard and the CLI goes through `run.fetch_works`
(or `fetch_collection`) and its one `Transport`.
"""

from lib.ingest.background import FetchHandle, start_background_fetch
from lib.ingest.imports import import_file, import_rows, load_metrics_file, load_metrics_table
from lib.ingest.plan import WORK_SOURCES, UnknownCollection, plan_fetch
from lib.ingest.progress import (
    FetchSummary,
    ProgressEvent,
    SourceProgress,
    cause_in_words,
    failure_lines,
    format_duration,
    format_progress,
    format_summary,
    source_name,
)
from lib.ingest.run import fetch_collection, fetch_works

__all__ = [
    "WORK_SOURCES",
    "FetchHandle",
    "FetchSummary",
    "ProgressEvent",
    "SourceProgress",
    "UnknownCollection",
    "cause_in_words",
    "failure_lines",
    "fetch_collection",
    "fetch_works",
    "format_duration",
    "format_progress",
    "format_summary",
    "import_file",
    "import_rows",
    "load_metrics_file",
    "load_metrics_table",
    "plan_fetch",
    "source_name",
    "start_background_fetch",
]
