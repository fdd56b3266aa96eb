"""Keys travel in query strings (OpenAlex `api_key`, Altmetric `key`): no logger may print them."""

from __future__ import annotations

import dataclasses
import logging

from lib import ingest
from tests.ingest.test_fetch import dois, fast_http, settings_for

OPENALEX_KEY = "oa-key-7c4a8d09ca3762af61e59520943dc26494f8941b"
ALTMETRIC_KEY = "alt-key-9f86d081884c7d659a2feaa0c55ad015"


def test_no_key_reaches_any_log_record_with_everything_turned_up(mock_api, tmp_path, caplog):
    settings = dataclasses.replace(
        settings_for(mock_api), keys={"openalex": OPENALEX_KEY, "altmetric": ALTMETRIC_KEY}
    )
    mock_api.behave("openalex", error_first=1, error_status=500)  # a retry is logged too
    mock_api.behave("altmetric", error_first=1, error_status=503)
    caplog.set_level(logging.DEBUG)  # root, so httpx's INFO and httpcore's DEBUG records show
    for name in ("httpx", "httpcore", "triangulate.http"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    ingest.fetch_works(
        tmp_path / "log.duckdb",
        dois(3, "10.7777/log."),
        sources=["openalex", "altmetric"],
        settings=settings,
        http_options=fast_http(),
    )
    requests = [r for r in caplog.records if r.name == "httpx" and "HTTP Request" in r.getMessage()]
    assert len(requests) >= 5  # httpx really logged every request's URL
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert OPENALEX_KEY not in text and ALTMETRIC_KEY not in text
    assert "api_key=***" in text and "key=***" in text
    assert OPENALEX_KEY in mock_api.requests("openalex")[0].query  # the key was really sent
