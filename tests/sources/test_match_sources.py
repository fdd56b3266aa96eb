"""The lookup sources of reference matching, on real recorded bodies (fixtures/api/recorded)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lib.settings import Settings
from lib.sources import crossref_search, ecitmatch, openalex_authors, openalex_search


def _recorded(reference_dir: Path, name: str) -> tuple[int, str]:
    data = json.loads((reference_dir / "fixtures/api/recorded" / name).read_text(encoding="utf-8"))
    return data["response"]["status"], data["response"]["body"]


SETTINGS = Settings.from_mapping(
    {
        "TRIANGULATE_MAILTO": "a@example.org",
        "TRIANGULATE_ECITMATCH_URL": "http://127.0.0.1:9/eutils",
    }
)


def test_crossref_bibliographic_search_asks_politely() -> None:
    request = crossref_search.build_search("Smith J. A title. Journal. 2019;1:2.", SETTINGS)
    params = dict(request.params)
    assert request.url == "https://api.crossref.org/works"
    assert params["query.bibliographic"].startswith("Smith J.")
    assert params["mailto"] == "a@example.org"


def test_crossref_search_parses_a_real_work_list(reference_dir: Path) -> None:
    status, body = _recorded(reference_dir, "crossref/works_query_rows_2_habanero.json")
    found, problem = crossref_search.parse_search(status, body)
    assert problem is None and len(found) == 2
    assert all(c["doi"] and c["source"] == "crossref" for c in found)
    assert all(isinstance(c["year"], int) for c in found)


def test_crossref_search_without_hits_is_no_candidates(reference_dir: Path) -> None:
    status, body = _recorded(reference_dir, "crossref/works_query_no_hits_rcrossref.json")
    assert crossref_search.parse_search(status, body) == ([], None)


def test_openalex_search_parses_a_real_result(reference_dir: Path) -> None:
    status, body = _recorded(reference_dir, "openalex/works_list_filter_title_search_paperqa.json")
    found, problem = openalex_search.parse_search(status, body)
    assert problem is None
    assert found[0]["doi"] == "10.1063/1.4938384"
    assert found[0]["title"].startswith("Effect of native oxide layers")


def test_openalex_search_narrows_by_year_and_drops_filter_syntax() -> None:
    request = openalex_search.build_search("Aspirin: a (re)view, part 1", SETTINGS, year=2019)
    params = dict(request.params)
    assert ":" not in params["search"] and "," not in params["search"]
    assert params["filter"] == "publication_year:2018-2020"


def test_openalex_author_record_and_works_page(reference_dir: Path) -> None:
    status, body = _recorded(
        reference_dir, "openalex/authors_singleton_select_academic_explorer.json"
    )
    found, problem = openalex_authors.parse_author_search(
        status, json.dumps({"results": [json.loads(body)]})
    )
    assert problem is None
    assert found[0].id == "A5017898742" and found[0].name == "Joseph Mearman"
    assert "Bangor University" in found[0].institutions
    status, body = _recorded(
        reference_dir,
        "openalex/works_filter_authorships_author_id_per_page_5_academic_explorer.json",
    )
    works, _cursor, problem = openalex_authors.parse_works_page(status, body)
    assert problem is None and len(works) == 5
    assert works[0]["doi"] == "https://doi.org/10.1145/2795233"


def test_ecitmatch_round_trip_and_its_base_is_overridable() -> None:
    citation = ecitmatch.Citation("cv#3", "N Engl J Med", 2019, "380", "1123", "Smith J")
    request = ecitmatch.build_request([citation], SETTINGS)
    assert request.url == "http://127.0.0.1:9/eutils/ecitmatch.cgi"
    assert dict(request.params)["bdata"] == "N Engl J Med|2019|380|1123|Smith J|cv#3|"
    body = "N Engl J Med|2019|380|1123|Smith J|cv#3|30912345\nX|2019|1|1|Y|cv#4|NOT_FOUND\n"
    assert ecitmatch.parse_response(200, body) == ({"cv#3": "30912345", "cv#4": None}, None)


@pytest.mark.parametrize("status,body", [(503, ""), (200, "<html>down</html>")])
def test_ecitmatch_failures_say_why(status: int, body: str) -> None:
    found, problem = ecitmatch.parse_response(status, body)
    assert found == {} and problem
