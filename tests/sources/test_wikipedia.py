"""Bodies follow the documented `list=exturlusage` shape (formatversion=2; no recorded body exists)."""

import json

import pytest

from lib.settings import Settings
from lib.sources import wikipedia
from lib.sources.base import WorkIds

SETTINGS = Settings.from_mapping({"TRIANGULATE_WIKIPEDIA_URL": "http://127.0.0.1:9/wiki/api.php"})
DOI = "10.1016/s0140-6736(20)30183-5"


def request_for(doi: str = DOI):
    [request], skipped = wikipedia.build_requests([WorkIds(DOI, doi=doi)], SETTINGS)
    assert not skipped
    return request


def body(*links: tuple[int, str], more: bool = False) -> str:
    pages = [{"pageid": pid, "ns": 0, "title": f"Page {pid}", "url": url} for pid, url in links]
    answer: dict = {"batchcomplete": True, "query": {"exturlusage": pages}}
    if more:
        answer["continue"] = {"eucontinue": "0|123", "continue": "-||"}
    return json.dumps(answer)


def test_request_shape() -> None:
    request = request_for("https://doi.org/10.1016/S0140-6736(20)30183-5")
    assert request.url == "http://127.0.0.1:9/wiki/api.php"
    params = dict(request.params)
    assert (params["action"], params["list"]) == ("query", "exturlusage")
    assert params["euquery"] == f"doi.org/{DOI}"
    assert (params["euprotocol"], params["eunamespace"], params["format"]) == ("https", "0", "json")
    _, skipped = wikipedia.build_requests([WorkIds("pmid:1", pmid="1")], SETTINGS)
    assert skipped[0].status == "skipped"


def test_distinct_articles_linking_exactly_the_doi() -> None:
    answer = body(
        (1, f"https://doi.org/{DOI}"),
        (1, f"https://doi.org/{DOI.upper()}#section"),  # same article twice
        (2, "https://doi.org/10.1016%2Fs0140-6736%2820%2930183-5"),
        (3, f"https://doi.org/{DOI}0"),  # prefix match of a longer DOI: not this work
    )
    [result] = wikipedia.parse_response(request_for(), 200, answer)
    assert result.metrics == {"wikipedia_mentions": 2.0}
    assert result.message == ""


def test_zero_and_lower_bound() -> None:
    [none] = wikipedia.parse_response(request_for(), 200, body())
    assert (none.status, none.metrics) == ("ok", {"wikipedia_mentions": 0.0})
    [many] = wikipedia.parse_response(
        request_for(), 200, body((7, f"https://doi.org/{DOI}"), more=True)
    )
    assert many.message.startswith("at least 1")


@pytest.mark.parametrize(
    ("status", "answer", "message"),
    [
        (200, '{"error": {"code": "maxlag", "info": "Waiting for a database server"}}', "maxlag"),
        (200, "<html>Wikimedia Error</html>", "HTML"),
        (200, '{"query": {"exturlusage": [', "truncated"),
        (200, '{"batchcomplete": true}', "shape"),
        (503, "Service Unavailable", "HTTP 503"),
    ],
)
def test_bad_bodies(status: int, answer: str, message: str) -> None:
    [result] = wikipedia.parse_response(request_for(), status, answer)
    assert result.status == "error" and message.lower() in result.message.lower()
