from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import icite
from lib.sources.base import WorkIds

SETTINGS = Settings.from_mapping({"TRIANGULATE_ICITE_URL": "http://127.0.0.1:9/prefix/icite/"})


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "icite"


def request_for(*works: WorkIds):
    requests, skipped = icite.build_requests(list(works), SETTINGS)
    assert len(requests) == 1 and not skipped
    return requests[0]


def test_legacy_format(fixtures: Path) -> None:
    body = (fixtures / "pubs_pmids_23456789_27599104_openicite_readme.json").read_text()
    request = request_for(
        WorkIds("10.1371/journal.pbio.1002541", pmid="27599104"),
        WorkIds("pmid:23456789", pmid="23456789"),
        WorkIds("pmid:11111111", pmid="PMID: 11111111"),
    )
    assert request.url == "http://127.0.0.1:9/prefix/icite/pubs"
    assert request.params == (("pmids", "27599104,23456789,11111111"),)
    rcr_paper, cancer, absent = icite.parse_response(request, 200, body)
    assert rcr_paper.key == "10.1371/journal.pbio.1002541"
    assert rcr_paper.metrics == {
        "citations_icite": 222.0,
        "rcr": 9.87,
        "nih_percentile": 97.9,
        "apt": 0.75,
        "clinical_citations": 2.0,
    }
    assert rcr_paper.work["doi"] == "10.1371/journal.pbio.1002541"
    assert (rcr_paper.work["year"], rcr_paper.work["journal"]) == (2016, "PLoS Biol")
    assert rcr_paper.work["authors"][0] == "B Ian Hutchins"
    assert rcr_paper.message == ""  # "provisional": "No"
    # the README truncated `cited_by`, and the legacy format has no years: no series is invented
    assert rcr_paper.per_year == {}
    assert cancer.metrics["rcr"] == 1.78 and cancer.metrics["citations_icite"] == 46
    assert cancer.work["title"].startswith("Hospital volume")
    assert (absent.status, absent.message) == ("not_found", icite.NOT_FOUND)


def test_2025_format(fixtures: Path) -> None:
    body = (fixtures / "pubs_32162448_embedded_in_markdown.json").read_text()
    [result] = icite.parse_response(
        request_for(WorkIds("10.1111/pan.13853", pmid="32162448")), 200, body
    )
    assert result.status == "ok"
    assert result.metrics == {
        "citations_icite": 17.0,
        "rcr": 2.18475199552701,
        "nih_percentile": 77.1,
        "apt": 0.75,
        "clinical_citations": 3.0,
    }
    assert result.per_year == {"citations": {2020: 1, 2021: 1, 2022: 3, 2023: 4, 2024: 4, 2025: 4}}
    assert sum(result.per_year["citations"].values()) == 17
    assert result.work["authors"][0] == "Zhang, Yan-Ling"
    assert (result.work["pmid"], result.work["doi"], result.work["year"]) == (
        "32162448",
        "10.1111/pan.13853",
        2020,
    )
    assert result.work["journal"] == "Paediatr Anaesth"


def test_provisional_goes_into_the_message_not_the_metrics() -> None:
    request = request_for(WorkIds("pmid:1", pmid="1"), WorkIds("pmid:2", pmid="2"))
    body = (
        '{"data": [{"pmid": 2, "provisional": "Yes", "relative_citation_ratio": null,'
        ' "citation_count": 0, "citedByClinicalArticle": true},'
        ' {"_id": "1", "provisional": true, "relative_citation_ratio": 0.5}]}'
    )
    one, two = icite.parse_response(request, 200, body)
    assert (one.message, two.message) == ("provisional RCR", "provisional RCR")
    assert one.metrics == {"rcr": 0.5}
    # a boolean `citedByClinicalArticle` is not a count; a null RCR stays missing
    assert two.metrics == {"citations_icite": 0.0}


def test_batches_of_200_and_skips_without_pmid() -> None:
    works = [WorkIds(f"pmid:{i}", pmid=str(i)) for i in range(1, 451)]
    works += [
        WorkIds("10.5555/doi-only", doi="10.5555/doi-only"),
        WorkIds("10.1371/journal.pone.0001", pmid="10.1371/journal.pone.0001"),
    ]
    requests, skipped = icite.build_requests(works, SETTINGS)
    assert [len(r.keys) for r in requests] == [200, 200, 50]
    assert requests[2].params[0][1].split(",")[0] == "401"
    assert [s.key for s in skipped] == ["10.5555/doi-only", "10.1371/journal.pone.0001"]
    assert {s.status for s in skipped} == {"skipped"}
    assert skipped[0].message == "no PMID; resolve it from OpenAlex or Europe PMC first"


def test_duplicated_record_and_out_of_order() -> None:
    request = request_for(WorkIds("pmid:5", pmid="5"), WorkIds("pmid:6", pmid="6"))
    body = '{"data": [{"pmid": 6, "citation_count": 6}, {"pmid": 5, "citation_count": 5}, {"pmid": 6, "citation_count": 60}]}'
    results = icite.parse_response(request, 200, body)
    assert [(r.key, r.metrics["citations_icite"]) for r in results] == [
        ("pmid:5", 5),
        ("pmid:6", 6),
    ]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "<html><h1>502 Bad Gateway</h1></html>", "error"),
        (200, '{"data": [{"pmid": 5, "citation_co', "error"),
        (200, '{"meta": {}}', "error"),
        (500, "Internal Server Error", "error"),
        (200, '{"data": []}', "not_found"),
    ],
)
def test_bad_bodies(status: int, body: str, expected: str) -> None:
    request = request_for(WorkIds("pmid:5", pmid="5"), WorkIds("pmid:6", pmid="6"))
    results = icite.parse_response(request, status, body)
    assert [r.key for r in results] == ["pmid:5", "pmid:6"]
    assert {r.status for r in results} == {expected}
    assert all(r.message for r in results)
