"""File names of downloads: what the file is, whose, and the day, e.g.
`portfolio-ada-example-2026-12-02.xlsx`, so a folder of exports sorts and reads by itself."""

from __future__ import annotations

import re
import unicodedata
from datetime import date


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Ada Example (demo)" -> "ada-example-demo")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "untitled"


def dated_file_name(kind: str, name: str, extension: str, today: date | None = None) -> str:
    """'<kind>-<slug of name>-<YYYY-MM-DD>.<extension>'."""
    day = (today or date.today()).isoformat()
    return f"{kind}-{slug(name)}-{day}.{extension.lstrip('.')}"
