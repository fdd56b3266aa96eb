"""Budget headers as the services really send them (recorded), and quotas that end a run."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from lib import ingest, store
from lib.sources.budgets import Budget, quota_exhausted, read_budget
from lib.sources.transport import DEFAULT_SOURCE_CONCURRENCY
from tests.ingest.test_fetch import dois, fast_http, settings_for, statuses


def recorded(reference_dir: Path, name: str) -> dict:
    path = reference_dir / "fixtures" / "api" / "recorded" / name
    if not path.exists():
        pytest.skip(f"no recording {name}")
    return json.loads(path.read_text())


def test_openalex_dollar_budget_from_a_recorded_answer(reference_dir) -> None:
    headers = recorded(reference_dir, "openalex/works_sample_5_commonmeta.json")["response"][
        "headers"
    ]
    budget = read_budget("openalex", headers)
    assert budget == Budget("openalex", 0.0972, 0.1, "USD per day", 64136.0, None)
    assert "0.0972 of 0.1 USD per day left" in budget.describe()


def test_openalex_per_second_window_and_crossref_pace_from_recordings(reference_dir) -> None:
    name = "openalex/works_singleton_doi_select_open_access_gold_paperqa.json"
    window = read_budget("openalex", recorded(reference_dir, name)["response"]["headers"])
    assert window is not None and window.per_second == 5.0 and window.remaining is None
    for name, pace in (
        ("crossref/works_doi_singleton_200_habanero.json", 5.0),  # public pool
        ("crossref/works_query_rows_2_habanero.json", 10.0),  # polite pool
        ("crossref/works_query_title_rows_1_paperqa.json", 150.0),  # Plus
    ):
        budget = read_budget("crossref", recorded(reference_dir, name)["response"]["headers"])
        assert budget is not None and budget.per_second == pace


def test_altmetric_daily_and_hourly_budgets() -> None:
    daily = read_budget(
        "altmetric", {"X-DailyRateLimit-Limit": "1000", "X-DailyRateLimit-Remaining": "0"}
    )
    assert daily is not None and daily.exhausted and daily.unit == "requests per day"
    hourly = read_budget(
        "altmetric",
        {"X-HourlyRateLimit-Limit": "3600", "X-HourlyRateLimit-Remaining": "0",
         "X-DailyRateLimit-Remaining": "50"},
    )  # fmt: skip
    assert hourly is not None and hourly.exhausted and hourly.unit == "requests per hour"
    assert read_budget("icite", {"x-rate-limit-limit": "5"}) is None
    assert read_budget("openalex", {}) is None


@pytest.mark.parametrize(
    ("status", "body", "budget", "wait", "expected"),
    [
        (429, '{"error": "Daily limit exceeded"}', None, None, True),  # OpenAlex's daily 429
        (429, '{"message": "Too Many Requests"}', None, 1.0, False),  # a short throttle
        (429, "", None, 3600.0, True),  # a Retry-After longer than a run waits
        (429, "", Budget("altmetric", 0, 1000, "requests per day"), None, True),
        (503, '{"error": "Daily limit exceeded"}', None, None, False),
    ],
)
def test_which_throttles_are_a_spent_quota(status, body, budget, wait, expected) -> None:
    assert quota_exhausted(status, body, budget, wait, 120.0) is expected


def test_a_spent_daily_quota_stops_the_source_with_one_message(mock_api, tmp_path) -> None:
    db, keys = tmp_path / "q.duckdb", dois(12, "10.7777/quota.")
    settings = dataclasses.replace(settings_for(mock_api), keys={"altmetric": "alt-k"})
    mock_api.behave("altmetric", daily_quota=3)
    summary = ingest.fetch_works(
        db, keys, sources=["altmetric"], settings=settings, http_options=fast_http()
    )
    # the 3rd answer says 0 left, so nothing more is sent (but the one already in flight on
    # Altmetric's second connection); never one request per remaining work
    assert len(mock_api.requests("altmetric")) in (3, 4)
    found = statuses(db, "altmetric")
    assert sum(s == "ok" for s in found.values()) == 3
    assert sum(s == "error" for s in found.values()) == 9
    [line] = summary.failures["altmetric"]
    assert "stopped for this run" in line and "(9 works)" in line
    assert re.search(r"after [34] requests", line)  # what it cost, the in-flight one included
    with store.connect(db) as con:
        [budget] = store.last_budgets(con).to_dicts()  # kept for the Sources page
    assert (budget["source"], budget["remaining"], budget["limit"]) == ("altmetric", 0.0, 3.0)


def test_openalex_daily_429_stops_after_one_refusal(mock_api, tmp_path) -> None:
    db, keys = tmp_path / "q.duckdb", dois(500, "10.7777/oaq.")
    settings = dataclasses.replace(settings_for(mock_api), batch_sizes={"openalex": 10})
    mock_api.behave("openalex", daily_quota=2)
    summary = ingest.fetch_works(
        db, keys, sources=["openalex"], settings=settings, http_options=fast_http()
    )
    sent = len(mock_api.requests("openalex"))
    # of 50 requests: the 2 answered, then at most one refusal per connection already in flight
    assert sent <= 2 + DEFAULT_SOURCE_CONCURRENCY["openalex"]
    assert "stopped for this run" in summary.failures["openalex"][0]
    assert sum(s == "ok" for s in statuses(db, "openalex").values()) == 20
