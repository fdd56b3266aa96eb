"""A fetch in a daemon thread, for the dashboard: poll its progress, cancel it, read its summary."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lib.ingest.progress import FetchSummary, ProgressEvent
from lib.ingest.run import fetch_collection, fetch_works


@dataclass
class FetchHandle:
    """A fetch running in a background thread; poll `.progress` and `.done`, call `.cancel()`."""

    thread: threading.Thread | None = None
    progress: ProgressEvent | None = None
    summary: FetchSummary | None = None
    error: BaseException | None = None
    _cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        return self.thread is not None and not self.thread.is_alive()

    def cancel(self) -> None:
        self._cancel.set()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


def start_background_fetch(
    db_path: str | Path,
    *,
    collection: str | None = None,
    keys: Sequence[str] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    **options: Any,
) -> FetchHandle:
    """Start `fetch_collection` (or `fetch_works` for keys) in a daemon thread."""
    handle = FetchHandle()

    def record(event: ProgressEvent) -> None:
        handle.progress = event
        if on_progress is not None:
            on_progress(event)

    def target() -> None:
        try:
            common = {"on_progress": record, "cancel": handle._cancel, **options}
            if collection is not None:
                handle.summary = fetch_collection(db_path, collection, **common)
            else:
                handle.summary = fetch_works(db_path, list(keys or ()), **common)
        except BaseException as error:  # surfaced to the page through the handle
            handle.error = error

    handle.thread = threading.Thread(target=target, name="triangulate-fetch", daemon=True)
    handle.thread.start()
    return handle
