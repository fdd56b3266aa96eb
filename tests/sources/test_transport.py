"""The transport against the mock API over real loopback HTTP: retries, throttling, redaction."""

from __future__ import annotations

import asyncio
import dataclasses
from email.utils import formatdate

import httpx
import pytest

from lib.settings import Settings
from lib.sources.base import ApiRequest
from lib.sources.redaction import redact
from lib.sources.transport import (
    RetryPolicy,
    Transport,
    describe,
    retry_after_seconds,
    user_agent,
)

SECRET = "oa-9f8e7d6c5b4a39281706f5e4d3c2b1a0"


class FakeTime:
    """A clock that only moves when the transport sleeps, so retry waits cost nothing."""

    def __init__(self) -> None:
        import time

        self.now = time.time()
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def settings_for(api, **changes) -> Settings:
    base = Settings.from_mapping(
        {**api.environ(), "TRIANGULATE_MAILTO": "lib@example.org", "OPENALEX_API_KEY": SECRET}
    )
    return dataclasses.replace(base, **changes)


def openalex_request(api, doi: str = "10.1234/a") -> ApiRequest:
    return ApiRequest(
        source="openalex",
        method="GET",
        url=api.url("openalex") + "/works",
        params=(("filter", f"doi:{doi}"), ("per_page", "50"), ("api_key", SECRET)),
        keys=(doi,),
        lookup=((doi, doi),),
    )


def send(settings: Settings, requests: list[ApiRequest], fake: FakeTime | None = None, **kw):
    async def go():
        options = {"sleep": fake.sleep, "clock": fake.clock} if fake else {}
        async with Transport(settings, **options, **kw) as http:
            return await asyncio.gather(*(http.send(r) for r in requests))

    return asyncio.run(go())


def test_redact_replaces_secrets_and_key_parameters():
    settings = Settings(keys={"altmetric": "alt-KEY-123"})
    text = "GET https://x.org/v1/doi/10.1/a?key=alt-KEY-123&api_key=other&x=1 failed: alt-KEY-123"
    out = redact(text, settings)
    assert "alt-KEY-123" not in out and "other" not in out
    assert out.count("***") == 3 and "x=1" in out


def test_a_key_never_survives_a_failing_request(mock_api):
    settings = settings_for(mock_api)
    fake = FakeTime()
    mock_api.behave("openalex", down=True)
    down = send(settings, [openalex_request(mock_api)], fake)[0]
    # httpx puts the URL into the text of some errors; this one fails before any network I/O
    bad_scheme = dataclasses.replace(
        openalex_request(mock_api), url="htp://127.0.0.1:1/works?api_key=" + SECRET
    )
    broken = send(settings, [bad_scheme], fake)[0]
    assert down.failed and down.status == 503 and "503" in down.message
    assert broken.failed and broken.status is None and broken.message
    for result in (down, broken):
        assert SECRET not in result.message + result.description + (result.body or "")
    assert "api_key=***" in down.description


def test_user_agent_names_the_contact_address(mock_api):
    settings = settings_for(mock_api)
    send(settings, [openalex_request(mock_api)])
    agent = mock_api.requests("openalex")[0].headers["User-Agent"]
    assert agent == user_agent(settings) and agent.endswith("(mailto:lib@example.org)")
    assert agent.startswith("Triangulate/")


def test_retry_after_seconds_is_honoured_then_succeeds(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", error_first=2, error_status=429, retry_after="7")
    result = send(settings_for(mock_api), [openalex_request(mock_api)], fake)[0]
    assert not result.failed and result.status == 200 and result.attempts == 3
    assert fake.sleeps == [7.0, 7.0]


def test_retry_after_as_http_date(mock_api):
    fake = FakeTime()
    when = formatdate(fake.now + 30, usegmt=True)
    mock_api.behave("openalex", error_first=1, error_status=429, retry_after=when)
    result = send(settings_for(mock_api), [openalex_request(mock_api)], fake)[0]
    assert result.status == 200
    assert 29 <= sum(fake.sleeps) <= 31
    assert retry_after_seconds("garbage", 0) is None


def test_429_storm_without_end_is_a_recorded_error_not_an_exception(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", rate_limit=0, retry_after=None)
    result = send(settings_for(mock_api), [openalex_request(mock_api)], fake)[0]
    assert result.failed and result.status == 429 and "after 5 attempts" in result.message
    assert len(mock_api.requests("openalex")) == 5
    # backoff grows exponentially, with jitter of 0.5-1.5x the nominal delay
    nominal = (0.5, 1, 2, 4)
    assert all(0.5 * n <= s <= 1.5 * n for s, n in zip(fake.sleeps, nominal, strict=True))


def test_a_retry_after_longer_than_the_cap_ends_the_request_at_once(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", rate_limit=0, retry_after="86400")
    result = send(settings_for(mock_api), [openalex_request(mock_api)], fake)[0]
    assert result.failed and result.attempts == 1 and "86400" in result.message


def test_429_storm_in_real_time_is_ridden_out(mock_api):
    mock_api.behave("openalex", rate_limit=2, rate_window=0.3, retry_after="0.3")
    requests = [openalex_request(mock_api, f"10.1234/s{i}") for i in range(8)]
    results = send(
        settings_for(mock_api), requests, retry=RetryPolicy(attempts=10, base_delay=0.05)
    )
    assert all(r.status == 200 and not r.failed for r in results)
    statuses = [s.status for s in mock_api.requests("openalex")]
    assert 429 in statuses and statuses.count(200) == 8


def test_openalex_slow_down_403_is_retried(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", slowdown_first=1)
    result = send(settings_for(mock_api), [openalex_request(mock_api)], fake)[0]
    assert result.status == 200 and result.attempts == 2


@pytest.mark.parametrize(
    ("switch", "expected"),
    [
        ({"error_first": 2, "error_status": 502}, 3),
        ({"truncate_first": 1}, 2),
        ({"html_first": 1}, 2),
        ({"timeout_first": 1, "timeout_sleep": 0.6}, 2),
    ],
)
def test_transient_faults_are_retried(mock_api, switch, expected):
    fake = FakeTime()
    mock_api.behave("openalex", **switch)
    settings = settings_for(mock_api, timeout_seconds=0.3)
    result = send(settings, [openalex_request(mock_api)], fake)[0]
    assert result.status == 200 and not result.failed and result.attempts == expected


def test_persistent_broken_bodies_fail_with_a_clear_reason(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", html_rate=1.0)
    mock_api.behave("crossref", truncate_rate=1.0)
    crossref = ApiRequest(
        "crossref",
        "GET",
        mock_api.url("crossref") + "/works",
        (("filter", "doi:10.1/x"),),
        keys=("10.1/x",),
    )
    html, truncated = send(settings_for(mock_api), [openalex_request(mock_api), crossref], fake)
    assert html.failed and html.status == 200 and "HTML page" in html.message
    assert truncated.failed and "malformed JSON" in truncated.message


def test_a_source_down_trips_the_breaker_instead_of_retrying_every_request(mock_api):
    fake = FakeTime()
    mock_api.behave("openalex", down=True)
    requests = [openalex_request(mock_api, f"10.1234/d{i}") for i in range(20)]
    settings = settings_for(mock_api, max_concurrency=1)
    results = send(settings, requests, fake, source_concurrency={"openalex": 1})
    assert all(r.failed for r in results)
    assert len(mock_api.requests("openalex")) == 10  # RetryPolicy.breaker attempts, then none
    assert "not sent" in results[-1].message and "503" in results[-1].message


def test_rate_limit_spaces_requests(mock_api):
    settings = settings_for(mock_api, rates={"openalex": 20.0})
    requests = [openalex_request(mock_api, f"10.1234/r{i}") for i in range(30)]
    send(settings, requests)
    times = sorted(s.at for s in mock_api.requests("openalex"))
    # a bucket of 20 then 20 per second: 30 requests need at least ~0.5 s
    assert times[-1] - times[0] >= 0.4


def test_describe_includes_post_bodies_and_redacts(mock_api):
    settings = settings_for(mock_api)
    request = ApiRequest(
        "semanticscholar",
        "POST",
        "http://h/paper/batch",
        (("fields", "title"),),
        (("x-api-key", SECRET),),
        {"ids": ["DOI:10.1/a"]},
    )
    text = describe(request, settings)
    assert text.startswith("POST http://h/paper/batch?fields=title\n") and "DOI:10.1/a" in text
    assert SECRET not in text


def test_connection_refused_is_a_value(mock_api):
    fake = FakeTime()
    settings = settings_for(mock_api)
    dead = dataclasses.replace(openalex_request(mock_api), url="http://127.0.0.1:9/works")
    result = send(settings, [dead], fake)[0]
    assert result.failed and result.status is None and "connection failed" in result.message
    assert isinstance(result.request, ApiRequest)
    assert httpx  # the transport is httpx; nothing here raised
