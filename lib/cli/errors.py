"""What the `triangulate` command says when the user's input cannot be used: one line, no traceback.

Every user error (a missing or unreadable file, a rejected upload, an unknown collection, format
or source, bad `--weights`, an unwritable `--out`, a malformed `TRIANGULATE_<SOURCE>_URL`) prints
one line naming what to do and exits 2; a locked cache exits 3 (DESIGN.md contract).
"""

from __future__ import annotations

import errno
from collections.abc import Mapping

import duckdb
import httpx

from lib import store
from lib.readers import UploadRejected

USER_ERROR = 2
LOCKED = 3
UNEXPECTED = 1


def malformed_base_urls(base_urls: Mapping[str, str]) -> list[str]:
    """The `TRIANGULATE_<SOURCE>_URL` variables whose value is not an http(s) URL."""
    bad = []
    for source, url in base_urls.items():
        try:
            parsed = httpx.URL(url)
            ok = parsed.scheme in ("http", "https") and bool(parsed.host)
        except (httpx.InvalidURL, TypeError, ValueError):
            ok = False
        if not ok:
            bad.append(f"TRIANGULATE_{source.upper()}_URL={url!r}")
    return bad


def _os_message(error: OSError) -> str:
    name = error.filename if error.filename is not None else "the path"
    if isinstance(error, FileNotFoundError):
        return f"No such file or folder: {name}. Check the path and try again."
    if isinstance(error, IsADirectoryError):
        return f"{name} is a folder, not a file: give the path of a file."
    if isinstance(error, NotADirectoryError):
        return f"A part of {name} is a file, not a folder: check the path."
    if isinstance(error, PermissionError):
        return f"Permission denied for {name}: choose a path you can read and write."
    reason = error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)
    return f"Cannot use {name}: {reason}. Choose another path."


def explain(error: BaseException) -> tuple[str, int] | None:
    """(one-line message, exit code) for an error a user can fix; None for a real bug."""
    if isinstance(error, store.DatabaseLocked):
        return str(error), LOCKED
    if isinstance(error, UploadRejected):
        return " ".join(str(error).split()), USER_ERROR
    if isinstance(error, httpx.InvalidURL):
        return (
            f"A source URL is not valid ({error}); fix or unset the TRIANGULATE_<SOURCE>_URL "
            "variable that sets it.",
            USER_ERROR,
        )
    if isinstance(error, OSError):
        return _os_message(error), USER_ERROR
    if isinstance(error, duckdb.Error):
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            f"The cache could not be opened or read ({first}). Check --db / TRIANGULATE_DB "
            "points at a Triangulate DuckDB file.",
            USER_ERROR,
        )
    if isinstance(error, (ValueError, LookupError)):
        return " ".join(str(error).split()) or type(error).__name__, USER_ERROR
    return None


def one_line(text: str) -> str:
    """A name printed on one line: line breaks and other control characters shown escaped."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
