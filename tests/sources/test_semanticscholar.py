import datetime as dt
import json
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import semanticscholar
from lib.sources.base import ApiRequest, WorkIds

SETTINGS = Settings.from_mapping(
    {"TRIANGULATE_SEMANTICSCHOLAR_URL": "http://127.0.0.1:9/s2/graph/v1"}
)


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "semanticscholar"


def recorded_request() -> ApiRequest:
    """The request the recorded batch answered (ids as the cassette sent them)."""
    ids = [
        "CorpusId:211530585",
        "CorpusId:470667",
        "10.2139/ssrn.2250500",
        "0f40b1f08821e22e859c6050916cec3667778613",
    ]
    lookup = tuple((paper_id, f"work-{n}") for n, paper_id in enumerate(ids))
    return ApiRequest(
        source="semanticscholar",
        method="POST",
        url="http://127.0.0.1:9/s2/graph/v1/paper/batch",
        json={"ids": ids},
        keys=tuple(key for _, key in lookup),
        lookup=lookup,
    )


def test_recorded_batch_with_a_null(fixtures: Path) -> None:
    body = (fixtures / "paper_batch_fields_full_with_null.json").read_text()
    missing, did, microfinance, audit = semanticscholar.parse_response(
        recorded_request(), 200, body
    )
    assert (missing.key, missing.status) == ("work-0", "not_found")
    assert did.metrics == {"citations_semanticscholar": 10670.0}
    assert did.work["doi"] == "10.2139/ssrn.288970"
    assert (did.work["year"], did.work["pub_date"]) == (2001, dt.date(2001, 10, 1))
    assert did.work["journal"] == "Experimental & Empirical Studies eJournal"
    assert microfinance.metrics == {"citations_semanticscholar": 2185.0}
    assert microfinance.work["doi"] == "10.2139/ssrn.2250500"
    assert audit.metrics == {"citations_semanticscholar": 0.0}  # a real zero
    assert audit.work["year"] == 2023 and "journal" not in audit.work


def test_not_found_404_body(fixtures: Path) -> None:
    body = (fixtures / "paper_not_found_404.json").read_text()
    results = semanticscholar.parse_response(recorded_request(), 404, body)
    assert {r.status for r in results} == {"not_found"}
    assert results[0].message == "HTTP 404: Paper with id 0 not found"


def test_post_batches_of_500_with_key_header() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(600)]
    works += [
        WorkIds("pmid:9", pmid="9"),
        WorkIds("pmcid:PMC5", pmcid="PMC5"),
        WorkIds("arxiv:1", arxiv="1"),
    ]
    env = {"SEMANTIC_SCHOLAR_API_KEY": "s2key"}
    requests, skipped = semanticscholar.build_requests(works, Settings.from_mapping(env))
    assert [len(r.json["ids"]) for r in requests] == [500, 102]
    assert requests[0].method == "POST"
    assert requests[0].url == "https://api.semanticscholar.org/graph/v1/paper/batch"
    assert requests[1].json["ids"][-2:] == ["PMID:9", "PMCID:5"]
    assert all(r.headers == (("x-api-key", "s2key"),) for r in requests)
    assert "citationCount" in dict(requests[0].params)["fields"]
    assert [s.key for s in skipped] == ["arxiv:1"]
    keyless, _ = semanticscholar.build_requests(works[:1], SETTINGS)
    assert keyless[0].headers == () and keyless[0].url.startswith("http://127.0.0.1:9/s2/graph/v1/")


def test_positions_not_contents_decide() -> None:
    works = [
        WorkIds("10.5555/a", doi="10.5555/A."),
        WorkIds("10.5555/b", doi="10.5555/b"),
        WorkIds("10.5555/c", doi="10.5555/c"),
    ]
    [request] = semanticscholar.build_requests(works, SETTINGS)[0]
    assert request.json == {"ids": ["DOI:10.5555/a", "DOI:10.5555/b", "DOI:10.5555/c"]}
    body = json.dumps([{"citationCount": 1}, None, {"citationCount": 3}])
    results = semanticscholar.parse_response(request, 200, body)
    assert [(r.key, r.status) for r in results] == [
        ("10.5555/a", "ok"),
        ("10.5555/b", "not_found"),
        ("10.5555/c", "ok"),
    ]
    assert results[2].metrics == {"citations_semanticscholar": 3.0}


def test_shared_identifier_answers_both_works() -> None:
    works = [WorkIds("10.5555/a", doi="10.5555/a"), WorkIds("pmid:1", doi="10.5555/a", pmid="1")]
    [request] = semanticscholar.build_requests(works, SETTINGS)[0]
    assert request.json == {"ids": ["DOI:10.5555/a"]}
    results = semanticscholar.parse_response(request, 200, '[{"citationCount": 4}]')
    assert [(r.key, r.metrics) for r in results] == [
        ("10.5555/a", {"citations_semanticscholar": 4.0}),
        ("pmid:1", {"citations_semanticscholar": 4.0}),
    ]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (200, "<html>Gateway timeout</html>", "HTML"),
        (200, '[{"citationCount": 1}, nu', "truncated"),
        (200, '[{"citationCount": 1}]', "1 entries for 2 ids"),
        (200, '{"data": []}', "shape"),
        (429, '{"message": "Too Many Requests. Please wait and try again"}', "Too Many Requests"),
        (400, '{"error": "Unrecognized or unsupported fields"}', "Unrecognized"),
    ],
)
def test_bad_bodies(status: int, body: str, message: str) -> None:
    works = [WorkIds("10.5555/a", doi="10.5555/a"), WorkIds("10.5555/b", doi="10.5555/b")]
    [request] = semanticscholar.build_requests(works, SETTINGS)[0]
    results = semanticscholar.parse_response(request, status, body)
    assert [(r.key, r.status) for r in results] == [("10.5555/a", "error"), ("10.5555/b", "error")]
    assert all(message in r.message for r in results)


def test_a_record_for_another_paper_is_an_error_and_gives_no_pmid() -> None:
    works = [
        WorkIds("10.5555/a", doi="10.5555/a"),
        WorkIds("10.5555/b", doi="10.5555/b"),
        WorkIds("pmid:7", pmid="7"),
    ]
    [request] = semanticscholar.build_requests(works, SETTINGS)[0]
    body = json.dumps(
        [
            {"externalIds": {"DOI": "10.5555/A", "PubMed": "11"}, "citationCount": 1},  # case only
            {"externalIds": {"DOI": "10.9999/other", "PubMed": "22"}, "citationCount": 9},
            {"externalIds": {"PubMed": "8"}, "citationCount": 4},
        ]
    )
    a, b, pmid = semanticscholar.parse_response(request, 200, body)
    assert (a.status, a.work["pmid"]) == ("ok", "11")
    assert b.status == "error" and "10.9999/other" in b.message
    assert b.work == {} and b.metrics == {}  # its PMID 22 must not reach iCite
    assert pmid.status == "error" and "PubMed 8" in pmid.message
