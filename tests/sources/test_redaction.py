"""Keys with `+`, `/` or `=` never survive in any spelling: messages, raw bodies, summaries."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import quote, quote_plus

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from lib import ingest, store
from lib.ingest.progress import format_summary
from lib.settings import Settings
from lib.sources.redaction import REDACTED, redact, redact_secrets
from tests.fake_time import FakeTime
from tests.sql import query

KEY = "Ab+cD/ef=gh+/=="


def spellings(secret: str) -> list[str]:
    return [
        secret,
        quote(secret, safe=""),
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(secret, safe="")),
        quote_plus(secret),
        quote(secret, safe="/"),
        quote(secret, safe="/="),
    ]


def test_every_encoding_of_a_key_is_redacted():
    settings = Settings(keys={"altmetric": KEY})
    for spelling in spellings(KEY):
        text = (
            f'{{"error": "invalid key", "url": "/v1/doi/10.1/x?key={spelling}", "k": "{spelling}"}}'
        )
        for out in (redact(text, settings), redact_secrets(text, settings) or ""):
            assert spelling not in out and KEY not in out, spelling
            assert REDACTED in out


@given(st.text(alphabet="abcXYZ019+/=-_.~ ", min_size=8, max_size=30))
def test_any_key_in_any_spelling_is_redacted(secret):
    settings = Settings(keys={"altmetric": secret})
    for spelling in spellings(secret):
        out = redact_secrets(f"before {spelling} after", settings) or ""
        assert spelling not in out


def test_a_server_echoing_the_url_leaks_no_key_into_the_cache_or_summary(mock_api, tmp_path):
    env = {**mock_api.environ(), "ALTMETRIC_API_KEY": KEY, "OPENALEX_API_KEY": KEY}
    settings = Settings.from_mapping(env)
    settings = dataclasses.replace(settings)
    for source in ("altmetric", "openalex"):
        mock_api.behave(source, echo_status=403)
    db = tmp_path / "c.duckdb"
    keys = ["10.5555/leak.1", "10.5555/leak.2"]
    with store.connect(db) as con:
        store.save_collection(
            con, "leak", pl.DataFrame({"input": keys, "key": keys, "status": ["valid"] * 2})
        )
    fake = FakeTime()
    summary = ingest.fetch_collection(
        db,
        "leak",
        sources=["altmetric", "openalex"],
        settings=settings,
        http_options={"sleep": fake.sleep, "clock": fake.clock},
    )
    with store.connect(db) as con:
        kept = query(con, "SELECT request, body FROM raw")
        log = query(con, "SELECT message FROM fetch_log")
    assert kept.height >= 2, "the echoed bodies are kept (redacted), not dropped"
    texts = [*kept["request"], *kept["body"], *log["message"].drop_nulls(), format_summary(summary)]
    for text in texts:
        for spelling in spellings(KEY):
            assert spelling not in text, (spelling, text)
