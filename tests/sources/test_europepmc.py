import datetime as dt
import json
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import europepmc
from lib.sources.base import WorkIds

SETTINGS = Settings.from_mapping({"TRIANGULATE_EUROPEPMC_URL": "http://127.0.0.1:9/epmc/rest"})


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "europepmc"


def request_for(*works: WorkIds):
    requests, skipped = europepmc.build_requests(list(works), SETTINGS)
    assert len(requests) == 1 and not skipped
    return requests[0]


def test_core_body_resolves_pmid_and_pmcid_for_a_doi(fixtures: Path) -> None:
    body = (fixtures / "search_query_cancer_core_page1.json").read_text()
    request = request_for(
        WorkIds("10.1093/nutrit/nuae105", doi="10.1093/NUTRIT/nuae105"),
        WorkIds(
            "10.1016/s0140-6736(24)02600-x", doi="https://doi.org/10.1016/S0140-6736(24)02600-X"
        ),
        WorkIds("10.9999/absent", doi="10.9999/absent"),
    )
    review, lancet, absent = europepmc.parse_response(request, 200, body)
    assert review.metrics == {"citations_europepmc": 3.0}
    assert (review.work["pmid"], review.work["pmcid"]) == ("39212676", "PMC12166167")
    assert review.work["journal"] == "Nutrition reviews"
    assert (review.work["year"], review.work["pub_date"]) == (2025, dt.date(2025, 7, 1))
    assert lancet.metrics == {"citations_europepmc": 0.0}
    assert lancet.work["pmid"] == "39709209" and "pmcid" not in lancet.work
    assert absent.status == "not_found"


def test_lite_body_by_pmid(fixtures: Path) -> None:
    body = (fixtures / "search_query_cancer_lite_page1.json").read_text()
    request = request_for(
        WorkIds("pmid:39709208", pmid="39709208"), WorkIds("pmid:39038316", pmid="39038316")
    )
    assert dict(request.params)["query"] == "(EXT_ID:39709208 OR EXT_ID:39038316) AND SRC:MED"
    erratum, no_doi = europepmc.parse_response(request, 200, body)
    assert erratum.work == {
        "doi": "10.1016/s0140-6736(24)02716-8",
        "pmid": "39709208",
        "pmcid": "PMC12124214",
        "title": "Department of Error.",
        "journal": "Lancet",
        "year": 2025,
        "pub_date": dt.date(2025, 12, 1),
    }
    assert no_doi.status == "ok" and "doi" not in no_doi.work


def test_zero_hits_body(fixtures: Path) -> None:
    body = (fixtures / "search_no_results_lite.json").read_text()
    results = europepmc.parse_response(
        request_for(WorkIds("10.5555/x", doi="10.5555/x")), 200, body
    )
    assert [(r.key, r.status) for r in results] == [("10.5555/x", "not_found")]


def test_or_query_batches_and_page_size() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(70)]
    works += [WorkIds("pmid:7", pmid="7"), WorkIds("pmcid:PMC1", pmcid="PMC1")]
    requests, skipped = europepmc.build_requests(works, SETTINGS)
    assert [len(r.keys) for r in requests] == [50, 20, 1]
    params = dict(requests[1].params)
    assert params["query"] == " OR ".join(f'DOI:"10.5555/{i}"' for i in range(50, 70))
    assert (params["format"], params["pageSize"]) == ("json", "40")
    assert int(dict(requests[0].params)["pageSize"]) >= 50
    assert requests[0].url == "http://127.0.0.1:9/epmc/rest/search"
    assert [s.key for s in skipped] == ["pmcid:PMC1"]


def test_medline_record_beats_a_preprint_with_the_same_doi() -> None:
    request = request_for(WorkIds("10.5555/a", doi="10.5555/a"))
    records = [
        {"id": "PPR1", "source": "PPR", "doi": "10.5555/A", "citedByCount": 1},
        {"id": "123", "source": "MED", "pmid": "123", "doi": "10.5555/a", "citedByCount": 7},
    ]
    body = json.dumps({"hitCount": 2, "resultList": {"result": records}})
    [result] = europepmc.parse_response(request, 200, body)
    assert result.metrics == {"citations_europepmc": 7.0} and result.work["pmid"] == "123"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "<html>EBI maintenance</html>", "error"),
        (200, '{"hitCount": 1, "resultList": {"result": [{"doi"', "error"),
        (200, '{"hitCount": 0}', "error"),
        (503, "Service Unavailable", "error"),
    ],
)
def test_bad_bodies(status: int, body: str, expected: str) -> None:
    request = request_for(
        WorkIds("10.5555/a", doi="10.5555/a"), WorkIds("10.5555/b", doi="10.5555/b")
    )
    results = europepmc.parse_response(request, status, body)
    assert [(r.key, r.status) for r in results] == [
        ("10.5555/a", expected),
        ("10.5555/b", expected),
    ]
    assert all(r.message for r in results)
