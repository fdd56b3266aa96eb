import json
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import altmetric
from lib.sources.base import WorkIds
from lib.vocabulary import SUPPLIED_BY

KEYED = Settings.from_mapping(
    {"ALTMETRIC_API_KEY": "alt-key", "TRIANGULATE_ALTMETRIC_URL": "http://127.0.0.1:9/alt/v1"}
)


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "altmetric"


def request_for(work: WorkIds):
    [request], skipped = altmetric.build_requests([work], KEYED)
    assert not skipped
    return request


def test_researchhub_record_with_string_readers(fixtures: Path) -> None:
    body = (fixtures / "v1_doi_10.1038_news.2011.490_researchhub.json").read_text()
    request = request_for(WorkIds("10.1038/news.2011.490", doi="10.1038/NEWS.2011.490"))
    [result] = altmetric.parse_response(request, 200, body)
    assert result.status == "ok"
    assert result.metrics == {
        "altmetric_score": 140.5,
        "news_mentions": 1.0,
        "blog_mentions": 3.0,
        "x_accounts": 138.0,  # cited_by_tweeters_count counts accounts
        "facebook_mentions": 5.0,
        "reddit_mentions": 1.0,
        # the record exists, so its absent counters are zeros
        "policy_mentions": 0.0,
        "patent_mentions": 0.0,
        "wikipedia_mentions": 0.0,
        "peer_review_mentions": 0.0,
        "bluesky_mentions": 0.0,
        "video_mentions": 0.0,
        "mendeley_readers": 9.0,  # "9" in the body
        "citeulike_readers": 0.0,  # "0" in the body
    }
    assert set(result.metrics) <= set(SUPPLIED_BY["altmetric"])
    assert result.per_year == {}  # `history` is score over windows, not per year
    assert (result.work["doi"], result.work["journal"]) == ("10.1038/news.2011.490", "Nature")


def test_docs_counts_example_with_unknown_readers(fixtures: Path) -> None:
    body = (fixtures / "counts_docs_example_news.2011.498.json").read_text()
    [result] = altmetric.parse_response(
        request_for(WorkIds("10.1038/news.2011.498", doi="10.1038/news.2011.498")), 200, body
    )
    assert result.metrics["altmetric_score"] == 114.5
    assert result.metrics["x_accounts"] == 134.0
    assert "x_posts" not in result.metrics  # accounts are not posts
    assert result.metrics["news_mentions"] == 0.0
    assert "mendeley_readers" not in result.metrics  # -1: Altmetric does not know, not zero
    assert "citeulike_readers" not in result.metrics  # not reported at all
    assert result.work["title"] == "Number of species on Earth tagged at 8.7 million"


def test_fetch_example_is_invalid_json_as_published(fixtures: Path) -> None:
    body = (fixtures / "fetch_docs_example.json").read_text()
    [result] = altmetric.parse_response(
        request_for(WorkIds("10.5555/x", doi="10.5555/x")), 200, body
    )
    assert result.status == "error"
    assert "malformed or truncated JSON" in result.message


def test_404_is_no_attention_record() -> None:
    [result] = altmetric.parse_response(
        request_for(WorkIds("10.5555/x", doi="10.5555/x")), 404, "Not Found"
    )
    assert (result.status, result.message, result.http_status) == (
        "not_found",
        "no attention record",
        404,
    )
    assert result.metrics == {}


def test_one_call_per_work_raw_doi_path_and_key_param() -> None:
    works = [
        WorkIds("10.1016/s0140-6736(20)30183-5", doi="10.1016/S0140-6736(20)30183-5."),
        WorkIds("pmid:123", pmid="123"),
        WorkIds("arxiv:2101.1", arxiv="2101.1"),
        WorkIds("10.5555/what?#x", doi="10.5555/what?#x"),
    ]
    requests, skipped = altmetric.build_requests(works, KEYED)
    assert [r.url for r in requests] == [
        "http://127.0.0.1:9/alt/v1/doi/10.1016/s0140-6736(20)30183-5",
        "http://127.0.0.1:9/alt/v1/pmid/123",
        "http://127.0.0.1:9/alt/v1/doi/10.5555/what%3F%23x",
    ]
    assert all(r.params == (("key", "alt-key"),) and len(r.keys) == 1 for r in requests)
    assert [s.key for s in skipped] == ["arxiv:2101.1"]


def test_no_key_skips_every_work() -> None:
    works = [WorkIds("10.5555/a", doi="10.5555/a"), WorkIds("pmid:1", pmid="1")]
    requests, skipped = altmetric.build_requests(works, Settings())
    assert requests == []
    assert [(s.key, s.status) for s in skipped] == [("10.5555/a", "skipped"), ("pmid:1", "skipped")]
    assert skipped[0].message == "no Altmetric API key (required for all users since 10 Nov 2025)"


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, "<html><body>Altmetric maintenance</body></html>", "HTML"),
        (200, '{"altmetric_id": 1, "score": 3', "truncated"),
        (200, json.dumps({"title": "no id"}), "shape"),
        (403, "Forbidden", "HTTP 403"),
        (502, "<html>Bad gateway</html>", "HTTP 502"),
    ],
)
def test_bad_bodies(status: int, body: str, message: str) -> None:
    [result] = altmetric.parse_response(
        request_for(WorkIds("10.5555/a", doi="10.5555/a")), status, body
    )
    assert result.status == "error" and message in result.message
