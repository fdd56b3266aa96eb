"""Configuration from the environment and `.streamlit/secrets.toml`, resolved once into a value.

Nothing else reads os.environ: callers build `Settings.from_mapping(...)` and pass it in, so tests can
hand any configuration to any layer without monkeypatching.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

DEFAULT_DB = Path("data") / "triangulate.duckdb"

_Number = TypeVar("_Number", int, float)


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """TRIANGULATE_DB if set, else data/triangulate.duckdb under the current directory."""
    env = os.environ if environ is None else environ
    return Path(env.get("TRIANGULATE_DB") or DEFAULT_DB)


DEFAULT_LOCK_TIMEOUT = 60.0


def lock_timeout_seconds(environ: Mapping[str, str] | None = None) -> float:
    """How long to wait for a cache file another process holds (TRIANGULATE_LOCK_TIMEOUT, in
    seconds; 60 by default, so a long CLI write does not fail the dashboard's next read)."""
    env = os.environ if environ is None else environ
    try:
        return max(0.0, float(env.get("TRIANGULATE_LOCK_TIMEOUT") or DEFAULT_LOCK_TIMEOUT))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


# Documented bases (DESIGN.md contracts); clients append the documented paths to these.
DEFAULT_BASE_URLS: dict[str, str] = {
    "openalex": "https://api.openalex.org",
    "icite": "https://icite.od.nih.gov/api",
    "crossref": "https://api.crossref.org",
    "europepmc": "https://www.ebi.ac.uk/europepmc/webservices/rest",
    "semanticscholar": "https://api.semanticscholar.org/graph/v1",
    "altmetric": "https://api.altmetric.com/v1",
    "orcid": "https://pub.orcid.org/v3.0",
    "wikipedia": "https://en.wikipedia.org/w/api.php",
    # NCBI E-utilities base; reference matching appends /ecitmatch.cgi (journal citation -> PMID).
    "ecitmatch": "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
}

KEY_VARIABLES: dict[str, str] = {
    "openalex": "OPENALEX_API_KEY",
    "altmetric": "ALTMETRIC_API_KEY",
    "semanticscholar": "SEMANTIC_SCHOLAR_API_KEY",
}

# Requests per second per source, the documented limits (apis.md); override with
# TRIANGULATE_<SOURCE>_RATE. OpenAlex: 100 req/s for every plan (developers.openalex.org).
DEFAULT_RATES: dict[str, float] = {
    "openalex": 100.0,
    "icite": 5.0,
    "crossref": 5.0,
    "europepmc": 5.0,
    "semanticscholar": 1.0,
    "altmetric": 1.0,
    "orcid": 12.0,
    "wikipedia": 5.0,
    "ecitmatch": 3.0,  # NCBI E-utilities: 3 requests/s without an API key
}

# Ids per request (apis.md); override with TRIANGULATE_<SOURCE>_BATCH.
DEFAULT_BATCH_SIZES: dict[str, int] = {
    "openalex": 100,  # up to 100 OR values in one filter (current docs)
    "icite": 200,
    "crossref": 50,
    "europepmc": 50,
    "semanticscholar": 500,
    "altmetric": 1,
    "orcid": 1,
    "wikipedia": 20,
}

# Days before a fetched value is stale; negative results are retried sooner.
DEFAULT_FRESHNESS_DAYS: dict[str, float] = {
    "openalex": 7,
    "icite": 30,
    "crossref": 7,
    "europepmc": 7,
    "semanticscholar": 7,
    "altmetric": 3,
    "orcid": 7,
    "wikipedia": 14,
}


@dataclass(frozen=True)
class Settings:
    db_path: Path = field(default_factory=default_db_path)
    mailto: str | None = None
    keys: Mapping[str, str] = field(default_factory=dict)
    base_urls: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_BASE_URLS))
    rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    batch_sizes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_BATCH_SIZES))
    freshness_days: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_FRESHNESS_DAYS)
    )
    not_found_retry_days: float = 30
    error_retry_days: float = 0
    timeout_seconds: float = 30
    max_concurrency: int = 16  # all sources together (OpenAlex alone may use 10)
    seed_demo: bool = True  # TRIANGULATE_DEMO=off keeps a new, empty cache empty
    # Upload ceilings (TRIANGULATE_MAX_UPLOAD_MB, TRIANGULATE_MAX_ROWS); None keeps the readers' own.
    max_upload_mb: float | None = None
    max_rows: int | None = None

    @classmethod
    def from_mapping(
        cls, environ: Mapping[str, str], secrets: Mapping[str, object] | None = None
    ) -> Settings:
        """Environment variables win over secrets; secrets are flat `NAME = "value"` pairs."""
        merged: dict[str, str] = {
            k: str(v) for k, v in (secrets or {}).items() if not isinstance(v, dict)
        }
        merged.update({k: v for k, v in environ.items() if v != ""})

        def per_source(
            suffix: str, defaults: Mapping[str, float], convert: Callable[[str | float], _Number]
        ) -> dict[str, _Number]:
            return {
                s: convert(merged.get(f"TRIANGULATE_{s.upper()}_{suffix}", d))
                for s, d in defaults.items()
            }

        return cls(
            db_path=Path(merged.get("TRIANGULATE_DB") or default_db_path({})),
            mailto=merged.get("TRIANGULATE_MAILTO") or None,
            keys={s: merged[v] for s, v in KEY_VARIABLES.items() if merged.get(v)},
            base_urls={
                s: merged.get(f"TRIANGULATE_{s.upper()}_URL", url).rstrip("/")
                for s, url in DEFAULT_BASE_URLS.items()
            },
            rates=_polite_crossref(per_source("RATE", DEFAULT_RATES, float), merged),
            batch_sizes=per_source("BATCH", DEFAULT_BATCH_SIZES, int),
            freshness_days=per_source("FRESH_DAYS", DEFAULT_FRESHNESS_DAYS, float),
            seed_demo=merged.get("TRIANGULATE_DEMO", "auto").lower()
            not in ("off", "0", "no", "false"),
            max_upload_mb=float(merged["TRIANGULATE_MAX_UPLOAD_MB"])
            if merged.get("TRIANGULATE_MAX_UPLOAD_MB")
            else None,
            max_rows=int(merged["TRIANGULATE_MAX_ROWS"])
            if merged.get("TRIANGULATE_MAX_ROWS")
            else None,
        )

    def key_for(self, source: str) -> str | None:
        return self.keys.get(source)

    def secret_values(self) -> list[str]:
        """Every configured secret, for redaction wherever text leaves the process."""
        return [v for v in self.keys.values() if v]


def _polite_crossref(rates: dict[str, float], merged: Mapping[str, str]) -> dict[str, float]:
    """With a contact address Crossref serves the polite pool, 10 req/s since Dec 2025 (its
    x-rate-limit headers, recorded 2026); the public pool's 5 req/s is the default otherwise."""
    if merged.get("TRIANGULATE_MAILTO") and "TRIANGULATE_CROSSREF_RATE" not in merged:
        return {**rates, "crossref": POLITE_CROSSREF_RATE}
    return rates


POLITE_CROSSREF_RATE = 10.0


SECRETS_FILE = Path(".streamlit") / "secrets.toml"


def secrets_file(environ: Mapping[str, str] | None = None) -> Path:
    """`TRIANGULATE_SECRETS_FILE`, else `.streamlit/secrets.toml` under the current directory."""
    env = os.environ if environ is None else environ
    return Path(env.get("TRIANGULATE_SECRETS_FILE") or SECRETS_FILE)


def read_secrets_file(path: Path | None = None) -> dict[str, object]:
    """The secrets file as a flat mapping; absent or unreadable means no secrets."""
    path = secrets_file() if path is None else path
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings for the CLI and the dashboard: the process environment, then the secrets file."""
    env = os.environ if environ is None else environ
    return Settings.from_mapping(env, read_secrets_file(secrets_file(env)))
