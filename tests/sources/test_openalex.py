import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.settings import Settings
from lib.sources import openalex
from lib.sources._common import ResponseError
from lib.sources.base import ApiRequest, Page, WorkIds
from lib.vocabulary import METRICS


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "openalex"


def settings(**overrides) -> Settings:
    env = {"TRIANGULATE_OPENALEX_URL": "http://127.0.0.1:9/mock/openalex", **overrides}
    return Settings.from_mapping(env)


def request_for(*works: WorkIds, **env) -> ApiRequest:
    requests, skipped = openalex.build_requests(list(works), settings(**env))
    assert len(requests) == 1 and not skipped
    return requests[0]


def test_peerj_singleton_body(fixtures: Path) -> None:
    body = (fixtures / "work_by_doi_10.7717_peerj.4375.json").read_text()
    request = request_for(WorkIds("10.7717/peerj.4375", doi="10.7717/PeerJ.4375"))
    [result] = openalex.parse_response(request, 200, body)
    assert result.status == "ok" and result.http_status == 200
    assert result.metrics == {
        "citations_openalex": 1004.0,
        "fwci": 76.52,
        "citation_percentile": pytest.approx(99.9764),
    }
    assert result.per_year["citations"][2025] == 67
    assert result.per_year["citations"][2017] == 9
    assert sum(result.per_year["citations"].values()) == 999
    work = result.work
    assert work["doi"] == "10.7717/peerj.4375"
    assert work["pmid"] == "29456894"
    assert work["pmcid"] == "PMC5815332"
    assert work["openalex"] == "W2741809807"
    assert work["title"].startswith("The state of OA")
    assert work["journal"] == "PeerJ"
    assert (work["year"], work["pub_date"], work["type"]) == (2018, dt.date(2018, 2, 13), "article")
    assert (work["oa_status"], work["is_retracted"]) == ("gold", False)
    assert work["field"] == "Decision Sciences"
    assert work["topic"] == "scientometrics and bibliometrics research"
    first, *_, last = work["authorships"]
    assert first == {
        "orcid": "0000-0003-1613-5981",
        "name": "Heather Piwowar",
        "position": "first",
        "is_corresponding": False,
    }
    assert (last["name"], last["position"]) == ("Stefanie Haustein", "last")
    assert len(work["authorships"]) == 9
    assert set(result.metrics) <= set(METRICS)


def test_list_body_matches_dois_and_pmids_and_reports_the_rest(fixtures: Path) -> None:
    body = (fixtures / "works_list_per_page3_with_next_cursor.json").read_text()
    requests, _ = openalex.build_requests(
        [
            WorkIds("10.1056/nejmoa2002032", doi="https://doi.org/10.1056/NEJMOA2002032"),
            WorkIds("10.1016/s0140-6736(20)30183-5", doi="10.1016/S0140-6736(20)30183-5."),
            WorkIds("10.9999/absent", doi="10.9999/absent"),
        ],
        settings(),
    )
    results = openalex.parse_response(requests[0], 200, body)
    by_key = {r.key: r for r in results}
    assert [r.key for r in results] == list(requests[0].keys)
    lancet = by_key["10.1016/s0140-6736(20)30183-5"]
    assert lancet.metrics["citations_openalex"] == 50056
    assert lancet.metrics["fwci"] == 1204.335
    assert lancet.work["pmid"] == "31986264" and lancet.work["oa_status"] == "green"
    assert lancet.work["journal"] == "The Lancet"
    assert by_key["10.1056/nejmoa2002032"].metrics["citations_openalex"] == 29323
    assert by_key["10.9999/absent"].status == "not_found"


def test_list_body_matched_by_pmid_never_by_doi_digits(fixtures: Path) -> None:
    body = (fixtures / "works_list_per_page3_with_next_cursor.json").read_text()
    request = request_for(
        WorkIds("pmid:32109013", pmid="32109013"), WorkIds("pmid:1056", pmid="1056")
    )
    assert request.params[0] == ("filter", "pmid:32109013|1056")
    results = {r.key: r for r in openalex.parse_response(request, 200, body)}
    assert results["pmid:32109013"].work["doi"] == "10.1056/nejmoa2002032"
    assert results["pmid:1056"].status == "not_found"


def test_author_works_page_and_cursor(fixtures: Path) -> None:
    body = (fixtures / "works_list_per_page3_with_next_cursor.json").read_text()
    results, cursor = openalex.parse_author_works(body)
    assert cursor == "IlsxMDAuMCwgMjkyMTAsICdodHRwczovL29wZW5hbGV4Lm9yZy9XMzAwMTg5NzA1NSddIg=="
    assert [r.key for r in results] == [
        "10.1016/s0140-6736(20)30183-5",
        "10.1056/nejmoa2002032",
        "10.1056/nejmoa2001017",
    ]
    assert results[2].metrics["citations_openalex"] == 29210
    last_page = json.dumps({"meta": {"next_cursor": None}, "results": []})
    assert openalex.parse_author_works(last_page) == ([], None)
    with pytest.raises(ResponseError, match="HTML"):
        openalex.parse_author_works("<html>busy</html>")


def test_authors_list(fixtures: Path) -> None:
    [author] = openalex.parse_authors(
        (fixtures / "authors_list_single_orcid_match.json").read_text()
    )
    assert author["openalex"] == "A5068835581"
    assert author["orcid"] == "0000-0002-3651-7517"
    assert (author["name"], author["works_count"]) == ("Yang Wang", 105)


def test_author_works_request() -> None:
    request = openalex.build_author_works_request(
        "https://orcid.org/0000-0002-3651-7517", settings(OPENALEX_API_KEY="k3y"), cursor="abc"
    )
    params = dict(request.params)
    assert request.url == "http://127.0.0.1:9/mock/openalex/works"
    assert params["filter"] == "author.orcid:0000-0002-3651-7517"
    assert (params["cursor"], params["per_page"], params["api_key"]) == ("abc", "100", "k3y")
    with pytest.raises(ValueError):
        openalex.build_author_works_request("not an orcid", settings())


def test_batching_per_page_select_key_and_mailto() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(120)]
    works += [WorkIds(f"pmid:{i}", pmid=str(i)) for i in range(1, 31)]
    works += [
        WorkIds("openalex:W42", openalex="https://openalex.org/W42"),
        WorkIds("arxiv:1", arxiv="1"),
    ]
    env = {"OPENALEX_API_KEY": "sekret", "TRIANGULATE_MAILTO": "me@example.org"}
    requests, skipped = openalex.build_requests(works, settings(**env))
    # the documented limits: 100 OR values, per_page 100, cursor paging from the first page
    assert [len(r.keys) for r in requests] == [100, 20, 30, 1]
    assert all(r.url == "http://127.0.0.1:9/mock/openalex/works" for r in requests)
    params = dict(requests[1].params)
    assert (params["per_page"], params["cursor"]) == ("100", "*")
    assert params["filter"] == "doi:" + "|".join(f"10.5555/{i}" for i in range(100, 120))
    assert (params["api_key"], params["mailto"]) == ("sekret", "me@example.org")
    assert params["select"].split(",")[:3] == ["id", "doi", "ids"]
    assert dict(requests[-1].params)["filter"] == "openalex:W42"
    assert [(s.key, s.status) for s in skipped] == [("arxiv:1", "skipped")]


def test_batch_size_from_settings_and_no_key_means_no_key_param() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(25)]
    requests, _ = openalex.build_requests(works, settings(TRIANGULATE_OPENALEX_BATCH="10"))
    assert [len(r.keys) for r in requests] == [10, 10, 5]
    assert all(dict(r.params)["per_page"] == "100" for r in requests)  # room for duplicates
    assert all("api_key" not in dict(r.params) and "mailto" not in dict(r.params) for r in requests)


def test_doi_that_would_break_the_filter_goes_alone() -> None:
    requests, _ = openalex.build_requests([WorkIds("10.5555/a,b", doi="10.5555/A,B")], settings())
    assert requests[0].url.endswith("/works/doi:10.5555/a%2Cb")
    assert requests[0].lookup == (("10.5555/a,b", "10.5555/a,b"),)


def test_same_doi_for_two_works_is_sent_once_and_answers_both(fixtures: Path) -> None:
    body = (fixtures / "work_by_doi_10.7717_peerj.4375.json").read_text()
    request = request_for(
        WorkIds("10.7717/peerj.4375", doi="10.7717/peerj.4375"),
        WorkIds("pmid:29456894", doi="10.7717/PEERJ.4375"),
    )
    assert dict(request.params)["filter"] == "doi:10.7717/peerj.4375"
    results = openalex.parse_response(request, 200, body)
    assert [(r.key, r.status) for r in results] == [
        ("10.7717/peerj.4375", "ok"),
        ("pmid:29456894", "ok"),
    ]


def _list_body(*works: dict) -> str:
    return json.dumps({"meta": {"count": len(works)}, "results": list(works)})


def test_out_of_order_duplicated_and_missing_results() -> None:
    request = request_for(*(WorkIds(f"10.5555/{c}", doi=f"10.5555/{c}") for c in "abc"))
    body = _list_body(
        {"id": "https://openalex.org/W3", "doi": "https://doi.org/10.5555/C", "cited_by_count": 3},
        {"id": "https://openalex.org/W1", "doi": "https://doi.org/10.5555/a", "cited_by_count": 1},
        {"id": "https://openalex.org/W9", "doi": "https://doi.org/10.5555/a", "cited_by_count": 9},
    )
    results = openalex.parse_response(request, 200, body)
    assert [(r.key, r.status, r.metrics.get("citations_openalex")) for r in results] == [
        ("10.5555/a", "ok", 9.0),  # the duplicate rule: the most-cited record answers
        ("10.5555/b", "not_found", None),
        ("10.5555/c", "ok", 3.0),
    ]


def test_null_fwci_and_percentile_stay_missing() -> None:
    request = request_for(WorkIds("10.5555/new", doi="10.5555/new"))
    work = {"id": "W1", "doi": "10.5555/new", "cited_by_count": 0, "fwci": None}
    [result] = openalex.parse_response(request, 200, _list_body(work))
    assert result.metrics == {"citations_openalex": 0.0}
    assert result.per_year == {}


@pytest.mark.parametrize(
    ("status", "body", "expected", "message"),
    [
        (200, "<!DOCTYPE html><html><body>Service Unavailable</body></html>", "error", "HTML"),
        (
            200,
            '{"meta": {"count": 1}, "results": [{"id": "W1", "doi": "10.5555/a"',
            "error",
            "truncated",
        ),
        (200, '{"unexpected": true}', "error", "shape"),
        (200, "", "error", "empty"),
        (403, '{"error": "Rate limit exceeded; slow down"}', "error", "slow down"),
        (404, '{"error": "not found"}', "not_found", "no work"),
    ],
)
def test_bad_bodies_give_a_result_per_key(status, body, expected, message) -> None:
    request = request_for(
        WorkIds("10.5555/a", doi="10.5555/a"), WorkIds("10.5555/b", doi="10.5555/b")
    )
    results = openalex.parse_response(request, status, body)
    assert [r.key for r in results] == ["10.5555/a", "10.5555/b"]
    assert {r.status for r in results} == {expected}
    assert all(message in r.message and r.http_status == status for r in results)


def _work(ident: int, doi: str, cited: int) -> dict:
    return {
        "id": f"https://openalex.org/W{ident}",
        "doi": f"https://doi.org/{doi}",
        "cited_by_count": cited,
    }


def test_duplicate_rule_is_most_cited_then_lowest_id_whatever_the_order() -> None:
    request = request_for(WorkIds("10.5555/a", doi="10.5555/a"))
    records = [_work(7, "10.5555/a", 4), _work(5, "10.5555/a", 4), _work(9, "10.5555/a", 2)]
    for order in (records, records[::-1], records[1:] + records[:1]):
        [result] = openalex.parse_response(request, 200, _list_body(*order))
        assert result.work["openalex"] == "W5" and result.metrics["citations_openalex"] == 4.0


def _page(request, works, count, cursor):
    body = json.dumps({"meta": {"count": count, "next_cursor": cursor}, "results": works})
    return Page(request, 200, body)


def test_more_records_than_the_page_follow_the_cursor_to_the_end() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(100)]
    [request], _ = openalex.build_requests(works, settings())
    # 100 DOIs, 101 records (one duplicate): the 100th DOI only arrives on page 2
    page1 = [_work(1000 + i, f"10.5555/{i}", 1) for i in range(99)]
    page1.append(_work(5000, "10.5555/0", 0))
    first = _page(request, page1, 101, "c2")
    following = openalex.next_request([first])
    assert following is not None and dict(following.params)["cursor"] == "c2"
    assert dict(following.params)["filter"] == dict(request.params)["filter"]
    second = _page(following, [_work(1099, "10.5555/99", 5)], 101, "c3")
    assert openalex.next_request([first, second]) is None  # all 101 seen
    results = openalex.parse_pages([first, second])
    assert {r.status for r in results} == {"ok"}
    assert results[99].metrics["citations_openalex"] == 5.0
    assert results[0].work["openalex"] == "W1000"  # 1 citation beats its 0-citation duplicate
    [alone] = [r for r in openalex.parse_pages([first]) if r.key == "10.5555/99"]
    assert alone.status == "error" and "incomplete" in alone.message  # never a false not_found


@given(
    st.lists(
        st.tuples(st.integers(1, 10**9), st.integers(0, 50)),
        min_size=1,
        max_size=6,
        unique_by=lambda t: t[0],
    ),
    st.randoms(),
)
def test_the_duplicate_rule_never_depends_on_the_order_sent(records, rng) -> None:
    request = request_for(WorkIds("10.5555/a", doi="10.5555/a"))
    works = [_work(ident, "10.5555/a", cited) for ident, cited in records]
    best = min(records, key=lambda r: (-r[1], r[0]))
    rng.shuffle(works)
    [result] = openalex.parse_response(request, 200, _list_body(*works))
    assert result.work["openalex"] == f"W{best[0]}"
    assert result.metrics["citations_openalex"] == float(best[1])
