"""Preprint links parsed from real Crossref bodies and from the documented OpenAlex/Europe PMC shapes."""

import json

from lib.ingest.batches import StoredBatch
from lib.sources import crossref
from lib.sources.base import ApiRequest
from lib.sources.versions import crossref_versions, europepmc_versions, openalex_versions


def test_a_real_crossref_work_list_gives_its_has_preprint_link(reference_dir):
    body = (
        reference_dir / "fixtures/api/crossref/works_filter_doi_4_items_worklist.json"
    ).read_text()
    keys = [i["DOI"].lower() for i in json.loads(body)["message"]["items"]]
    request = ApiRequest(
        "crossref", "GET", "http://x/works", keys=tuple(keys), lookup=tuple((k, k) for k in keys)
    )
    results = {r.key: r for r in crossref.parse_response(request, 200, body)}
    article = results["10.1007/s10071-023-01763-4"]
    assert article.work["versions"] == [
        {
            "published": "10.1007/s10071-023-01763-4",
            "preprint": "10.21203/rs.3.rs-2247248/v1",
            "relation": "has-preprint",
            "evidence": "Crossref relation has-preprint (asserted by object)",
        }
    ]
    assert "versions" not in results["10.31234/osf.io/qjfpe"].work
    assert StoredBatch  # the batch writer reads work["versions"]


def test_is_preprint_of_points_the_other_way():
    item = {"relation": {"is-preprint-of": [{"id-type": "doi", "id": "10.1056/NEJMoa2035389"}]}}
    assert crossref_versions("10.1101/2020.12.01.20241234", item)[0] | {} == {
        "published": "10.1056/nejmoa2035389",
        "preprint": "10.1101/2020.12.01.20241234",
        "relation": "is-preprint-of",
        "evidence": "Crossref relation is-preprint-of (asserted by ?)",
    }
    assert (
        crossref_versions(
            "10.1016/j.a.2020", {"relation": {"is-preprint-of": [{"id-type": "uri", "id": "x"}]}}
        )
        == []
    )


def test_openalex_submitted_version_locations_with_another_doi():
    work = {
        "locations": [
            {"version": "publishedVersion", "landing_page_url": "https://doi.org/10.1016/j.a.2020"},
            {
                "version": "submittedVersion",
                "landing_page_url": "https://doi.org/10.1101/2020.05.01.20087619",
                "source": {"display_name": "medRxiv"},
            },
            {"version": "submittedVersion", "landing_page_url": "https://europepmc.org/x"},
        ]
    }
    links = openalex_versions("10.1016/j.a.2020", work)
    assert [(v["published"], v["preprint"]) for v in links] == [
        ("10.1016/j.a.2020", "10.1101/2020.05.01.20087619")
    ]
    assert "medRxiv" in links[0]["evidence"]


def test_europe_pmc_preprint_of_names_the_journal_version_by_pmid():
    record = {
        "commentCorrectionList": {
            "commentCorrection": [{"type": "Preprint of", "source": "MED", "id": "38289242"}]
        }
    }
    (link,) = europepmc_versions("10.1101/2020.12.01.20241234", record)
    assert (link["published"], link["preprint"]) == ("pmid:38289242", "10.1101/2020.12.01.20241234")
    assert "title and first author" in link["evidence"]
