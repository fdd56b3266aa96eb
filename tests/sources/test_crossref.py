import datetime as dt
import json
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import crossref
from lib.sources.base import WorkIds

SETTINGS = Settings.from_mapping(
    {"TRIANGULATE_CROSSREF_URL": "http://127.0.0.1:9/cr", "TRIANGULATE_MAILTO": "me@example.org"}
)


@pytest.fixture
def fixtures(reference_dir: Path) -> Path:
    return reference_dir / "fixtures" / "api" / "crossref"


def request_for(*dois: str):
    requests, skipped = crossref.build_requests([WorkIds(d.lower(), doi=d) for d in dois], SETTINGS)
    assert len(requests) == 1 and not skipped
    return requests[0]


def test_work_list_of_four(fixtures: Path) -> None:
    body = (fixtures / "works_filter_doi_4_items_worklist.json").read_text()
    request = request_for(
        "10.1016/J.IJPSYCHO.2015.02.024",
        "10.31234/osf.io/qjfpe",
        "10.1007/s10071-023-01763-4",
        "10.1177/10298649221149109",
        "10.5555/not-in-the-answer",
    )
    results = {r.key: r for r in crossref.parse_response(request, 200, body)}
    newborns = results["10.1016/j.ijpsycho.2015.02.024"]
    assert newborns.metrics == {"citations_crossref": 36.0}
    assert newborns.work["journal"] == "International Journal of Psychophysiology"
    assert (
        newborns.work["title"]
        == "Detecting the temporal structure of sound sequences in newborn infants"
    )
    assert (newborns.work["year"], newborns.work["type"]) == (2015, "journal-article")
    assert "pub_date" not in newborns.work  # issued is [[2015, 4]]: no day, no date
    assert results["10.1007/s10071-023-01763-4"].metrics == {"citations_crossref": 1.0}
    preprint = results["10.31234/osf.io/qjfpe"]
    assert preprint.metrics == {"citations_crossref": 0.0}  # a reported zero stays a zero
    assert preprint.work["type"] == "posted-content" and "journal" not in preprint.work
    assert results["10.1177/10298649221149109"].work["pub_date"] == dt.date(2023, 2, 3)
    assert results["10.5555/not-in-the-answer"].status == "not_found"


@pytest.mark.parametrize(
    ("name", "doi", "citations", "journal", "year"),
    [
        (
            "works_10.1021_acs.orglett.9b00971_abbotsbury.json",
            "10.1021/acs.orglett.9b00971",
            9,
            "Organic Letters",
            2019,
        ),
        (
            "works_10.1126_science.280.5362.421_abbotsbury.json",
            "10.1126/science.280.5362.421",
            134,
            "Science",
            1998,
        ),
    ],
)
def test_single_work_bodies(fixtures: Path, name, doi, citations, journal, year) -> None:
    [result] = crossref.parse_response(request_for(doi), 200, (fixtures / name).read_text())
    assert result.status == "ok"
    assert result.metrics == {"citations_crossref": float(citations)}
    assert (result.work["journal"], result.work["year"], result.work["doi"]) == (journal, year, doi)


def test_repeated_doi_filter_rows_and_mailto() -> None:
    works = [WorkIds(f"10.5555/{i}", doi=f"10.5555/{i}") for i in range(120)] + [
        WorkIds("pmid:1", pmid="1")
    ]
    requests, skipped = crossref.build_requests(works, SETTINGS)
    assert [len(r.keys) for r in requests] == [50, 50, 20]
    params = dict(requests[2].params)
    assert params["filter"] == ",".join(f"doi:10.5555/{i}" for i in range(100, 120))
    assert (params["rows"], params["mailto"]) == ("20", "me@example.org")
    assert requests[0].url == "http://127.0.0.1:9/cr/works"
    assert [s.key for s in skipped] == ["pmid:1"]


def test_no_mailto_no_param_and_comma_doi_goes_alone() -> None:
    requests, _ = crossref.build_requests(
        [WorkIds("10.5555/a,b", doi="10.5555/a,b"), WorkIds("10.5555/c", doi="10.5555/c")],
        Settings(),
    )
    assert [r.url for r in requests] == [
        "https://api.crossref.org/works",
        "https://api.crossref.org/works/10.5555/a%2Cb",
    ]
    assert all("mailto" not in dict(r.params) for r in requests)


def test_out_of_order_and_duplicated_items() -> None:
    request = request_for("10.5555/a", "10.5555/b")
    items = [
        {"DOI": "10.5555/B", "is-referenced-by-count": 2},
        {"DOI": "10.5555/a", "is-referenced-by-count": 1},
        {"DOI": "10.5555/a", "is-referenced-by-count": 100},
    ]
    body = json.dumps({"status": "ok", "message-type": "work-list", "message": {"items": items}})
    results = crossref.parse_response(request, 200, body)
    assert [(r.key, r.metrics["citations_crossref"]) for r in results] == [
        ("10.5555/a", 1),
        ("10.5555/b", 2),
    ]


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, "<html><title>Crossref is down</title></html>", "error"),
        (200, '{"status": "ok", "message": {"items": [{"DOI": "10.5555/a"', "error"),
        (200, '{"status": "ok", "message": {}}', "error"),
        (429, '{"status": "error", "message": "Too many requests"}', "error"),
        (404, "Resource not found.", "not_found"),
    ],
)
def test_bad_bodies(status: int, body: str, expected: str) -> None:
    results = crossref.parse_response(request_for("10.5555/a", "10.5555/b"), status, body)
    assert [(r.key, r.status) for r in results] == [
        ("10.5555/a", expected),
        ("10.5555/b", expected),
    ]
    assert all(r.message and r.http_status == status for r in results)
