"""Our request builders and parsers against real recorded interactions (fixtures/api/recorded/).

For each recording our sources can express: the request we would send for the same ids (same
endpoint, same parameters up to order and our additions, or why ours differs), and the values our
parser stores from the recorded response, asserted per interaction. What we cannot express is
listed in `NOT_EXPRESSIBLE` with the reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from lib.settings import Settings
from lib.sources import crossref, europepmc, icite, openalex, orcid, semanticscholar, wikipedia
from lib.sources.base import ApiRequest, Page, WorkIds
from lib.sources.budgets import read_budget

SETTINGS = Settings.from_mapping({"TRIANGULATE_MAILTO": "lib@example.org"})

NOT_EXPRESSIBLE = {
    "openalex/authors_singleton_select_academic_explorer.json": "author singletons by OpenAlex id: we look authors up by ORCID",
    "openalex/works_list_filter_title_search_paperqa.json": "title search: reference matching (issue 12), not a source lookup",
    "openalex/works_sample_5_commonmeta.json": "random sample: nothing we ask for (its budget headers are read in test_budgets)",
    "crossref/journals_query_bibliographic_not_allowed_400_habanero.json": "journal routes: we only use /works",
    "crossref/works_cursor_invalid_value_habanero.json": "query cursors: we ask by DOI filter, never page a query",
    "crossref/works_doi_with_query_param_400_habanero.json": "field queries on a singleton: never sent",
    "crossref/works_query_cursor_star_habanero.json": "free-text query: reference matching (issue 12)",
    "crossref/works_query_filter_has_orcid_rows_3_rcrossref.json": "free-text query",
    "crossref/works_query_no_hits_rcrossref.json": "free-text query",
    "crossref/works_query_rows_2_habanero.json": "free-text query",
    "crossref/works_query_select_doi_title_habanero.json": "free-text query",
    "crossref/works_query_title_rows_1_paperqa.json": "free-text query",
    "crossref/works_sample_2_habanero.json": "random sample",
    "crossref/works_sample_too_large_400_rcrossref.json": "random sample",
    "europepmc/search_core_xml_default_2014_scientometric.json": "XML (no format=json): we always ask JSON",
    "europepmc/search_or_ref_query_139_hits_page1_2016_lagotto.json": "REF: full-text reference search of 2016 (page-based paging, removed since)",
    "europepmc/search_or_ref_query_no_hits_2016_lagotto.json": "REF: full-text reference search",
    "semanticscholar/paper_get_404_not_found_semanticscholar.json": "GET singletons: we only use the POST batch",
    "semanticscholar/paper_get_bad_fields_400_semanticscholar.json": "GET singletons",
    "semanticscholar/paper_get_bare_doi_fields_title_semanticscholar.json": "GET singletons",
    "semanticscholar/paper_get_doi_prefix_200_paperqa.json": "GET singletons",
    "semanticscholar/paper_get_doi_prefix_404_paperqa.json": "GET singletons",
    "semanticscholar/paper_get_doi_prefix_lowercase_doi_paperqa.json": "GET singletons",
    "semanticscholar/paper_search_no_results_semanticscholar.json": "search: reference matching (issue 12)",
    "orcid/person_v3_404_invalid_orcid_rorcid.json": "person records: we read /works only",
    "orcid/search_v3_by_doi_rorcid.json": "ORCID search: not used",
    "orcid/work_v3_single_putcode_rorcid.json": "single work by put-code: we read the works summary",
    "mediawiki/wikipedia_list_search_doi_677_hits_continue_2015_lagotto.json": "list=search (full text), not list=exturlusage; no exturlusage recording exists",
    "mediawiki/wikipedia_list_search_doi_last_page_2015_lagotto.json": "list=search, not exturlusage",
    "mediawiki/wikipedia_list_search_doi_no_hits_2015_lagotto.json": "list=search, not exturlusage",
}


def load(reference_dir: Path, name: str) -> dict:
    path = reference_dir / "fixtures" / "api" / "recorded" / name
    if not path.exists():
        pytest.skip(f"no recording {name}")
    return json.loads(path.read_text())


def body_of(record: dict) -> str:
    body = record["response"]["body"]
    return body if isinstance(body, str) else json.dumps(body)


def sent(request: ApiRequest) -> tuple[str, dict[str, list[str]]]:
    """Path and query of the URL our transport would send (httpx encodes as it will on the wire)."""
    url = httpx.URL(request.url, params=list(request.params))
    return url.path, parse_qs(url.query.decode(), keep_blank_values=True)


def recorded_query(record: dict) -> dict[str, list[str]]:
    return parse_qs(urlsplit(record["request"]["url"]).query, keep_blank_values=True)


def test_every_recording_is_either_tested_here_or_listed_with_why(reference_dir) -> None:
    root = reference_dir / "fixtures" / "api" / "recorded"
    if not root.exists():
        pytest.skip("no recordings")
    names = {str(p.relative_to(root)) for p in root.glob("*/*.json")}
    text = Path(__file__).read_text()
    untested = {n for n in names if n not in NOT_EXPRESSIBLE and f'"{n}"' not in text}
    assert not untested


# ---------------------------------------------------------------- OpenAlex

OPENALEX_SINGLETONS = [
    # recording, DOI asked, citations, fwci, pmid, year, oa_status, openalex id
    ("openalex/works_singleton_doi_blog_post_commonmeta.json", "10.53731/ybhah-9jy85", 0.0, None, None, 2023, "gold", "W4387341806"),
    ("openalex/works_singleton_doi_full_record_lowercase_doi_paperqa.json", "10.1023/A:1007154515475", 7.0, 0.344, "11330823", 2001, "closed", "W1554322594"),
    ("openalex/works_singleton_doi_sici_brackets_commonmeta.json", "10.1890/0012-9658(2006)87[2832:TIOPMA]2.0.CO;2", 130.0, 2.3149, "17168027", 2006, "closed", "W2030857676"),
    ("openalex/works_singleton_doi_with_letter_suffix_commonmeta.json", "10.1163/1937240X-00002096", 30.0, 5.4419, None, 2012, "bronze", "W1970275598"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "doi", "cites", "fwci", "pmid", "year", "oa", "wid"), OPENALEX_SINGLETONS
)
def test_openalex_recorded_singletons(
    reference_dir, name, doi, cites, fwci, pmid, year, oa, wid
) -> None:
    """Ours asks `/works?filter=doi:<doi>` (100 DOIs per call, per_page 100, cursor) instead of the
    recorded singleton `/works/https://doi.org/<doi>`: the same work, 100x fewer calls; the
    parser reads both shapes, so the recorded singleton body is read as it stands."""
    record = load(reference_dir, name)
    key = doi.lower()
    [request], _ = openalex.build_requests([WorkIds(key, doi=doi)], SETTINGS)
    path, query = sent(request)
    assert path == "/works" and query["filter"] == [f"doi:{key}"]
    assert urlsplit(record["request"]["url"]).path.startswith("/works/")
    [result] = openalex.parse_response(request, record["response"]["status"], body_of(record))
    assert result.status == "ok"
    assert result.metrics.get("citations_openalex") == cites
    assert result.metrics.get("fwci") == fwci
    assert (result.work.get("pmid"), result.work["year"], result.work["oa_status"]) == (
        pmid,
        year,
        oa,
    )
    assert result.work["openalex"] == wid and result.work["doi"] == key


def test_openalex_recorded_404_html_is_not_found(reference_dir) -> None:
    record = load(
        reference_dir, "openalex/works_singleton_doi_404_html_not_in_openalex_paperqa.json"
    )
    [request], _ = openalex.build_requests(
        [WorkIds("10.1046/j.1365-2699.2003.00795", doi="10.1046/j.1365-2699.2003.00795")], SETTINGS
    )
    [result] = openalex.parse_response(request, 404, body_of(record))
    assert result.status == "not_found" and result.message == openalex.NOT_FOUND
    budget = read_budget("openalex", record["response"]["headers"])
    assert budget is not None and budget.per_second == 5.0


@pytest.mark.parametrize(
    "name",
    [
        "openalex/works_singleton_doi_select_open_access_gold_paperqa.json",
        "openalex/works_singleton_doi_select_open_access_not_oa_paperqa.json",
    ],
)
def test_openalex_recorded_select_without_id_is_an_error_not_a_value(reference_dir, name) -> None:
    """These recordings selected only open_access,doi; ours always selects `id` (and the fields we
    store), which is how the parser knows a singleton body is a work. Without it: an error."""
    record = load(reference_dir, name)
    doi = json.loads(body_of(record))["doi"].removeprefix("https://doi.org/")
    [request], _ = openalex.build_requests([WorkIds(doi, doi=doi)], SETTINGS)
    assert "id" in sent(request)[1]["select"][0].split(",")
    [result] = openalex.parse_response(request, 200, body_of(record))
    assert result.status == "error"


def test_openalex_recorded_author_works_page(reference_dir) -> None:
    record = load(
        reference_dir,
        "openalex/works_filter_authorships_author_id_per_page_5_academic_explorer.json",
    )
    results, cursor = openalex.parse_author_works(body_of(record))
    assert [(r.key, r.metrics["citations_openalex"]) for r in results[:2]] == [
        ("10.1145/2795233", 28.0),
        ("openalex:W3200026003", 10.0),  # no DOI, no PMID: keyed by its OpenAlex id
    ]
    assert results[0].metrics["fwci"] == 6.226 and len(results) == 5
    assert cursor is None  # page-based answer: no cursor to follow (ours asks cursor=*)


def test_openalex_recorded_zero_results_is_not_found(reference_dir) -> None:
    record = load(reference_dir, "openalex/works_filter_cites_zero_results_academic_explorer.json")
    [request], _ = openalex.build_requests([WorkIds("10.5555/x", doi="10.5555/x")], SETTINGS)
    [result] = openalex.parse_pages([Page(request, 200, body_of(record))])
    assert result.status == "not_found"
    assert openalex.next_request([Page(request, 200, body_of(record))]) is None


# ---------------------------------------------------------------- Crossref

CROSSREF_SINGLETONS = [
    ("crossref/works_doi_singleton_200_habanero.json", "10.1371/journal.pone.0033693", 72.0, 2012, "PLoS ONE"),
    ("crossref/works_doi_percent_encoded_slash_paperqa.json", "10.1023/A:1007154515475", 7.0, 2001, "Molecular and Cellular Biochemistry"),
    ("crossref/works_doi_url_form_in_path_fulltext.json", "10.1101/517201", 1.0, 2019, None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "doi", "cites", "year", "journal"), CROSSREF_SINGLETONS)
def test_crossref_recorded_singletons(reference_dir, name, doi, cites, year, journal) -> None:
    """Ours asks `/works?filter=doi:<doi>&rows=1` (repeated filters batch 50 DOIs) instead of the
    singleton `/works/<doi>`; the parser reads both shapes."""
    record = load(reference_dir, name)
    key = doi.lower()
    [request], _ = crossref.build_requests([WorkIds(key, doi=doi)], SETTINGS)
    path, query = sent(request)
    assert (
        path == "/works"
        and query["filter"] == [f"doi:{key}"]
        and query["mailto"] == ["lib@example.org"]
    )
    [result] = crossref.parse_response(request, 200, body_of(record))
    assert result.status == "ok" and result.metrics["citations_crossref"] == cites
    assert result.work["year"] == year and result.work.get("journal") == journal


@pytest.mark.parametrize(
    ("name", "doi"),
    [
        ("crossref/works_doi_singleton_404_habanero.json", "10.1371/notarealdoi"),
        ("crossref/works_doi_singleton_404_blblbl_rcrossref.json", "10.9999/blblbl"),
        (
            "crossref/works_doi_percent_encoded_404_arxiv_datacite_doi_paperqa.json",
            "10.48550/arxiv.2312.07559",
        ),
    ],
)
def test_crossref_recorded_404s_are_not_found(reference_dir, name, doi) -> None:
    record = load(reference_dir, name)
    [request], _ = crossref.build_requests([WorkIds(doi, doi=doi)], SETTINGS)
    [result] = crossref.parse_response(request, 404, body_of(record))
    assert result.status == "not_found"
    assert read_budget("crossref", record["response"]["headers"]).per_second in (5.0, 50.0, 150.0)


# ---------------------------------------------------------------- Europe PMC


def test_europepmc_recorded_ext_id_lookup(reference_dir) -> None:
    """Recorded `query=ext_id:17183658` (2016 path style); ours `(EXT_ID:17183658) AND SRC:MED`
    on /search, which also excludes non-MEDLINE records sharing the number."""
    record = load(reference_dir, "europepmc/search_ext_id_found_2016_lagotto.json")
    [request], _ = europepmc.build_requests([WorkIds("pmid:17183658", pmid="17183658")], SETTINGS)
    path, query = sent(request)
    assert path.endswith("/search") and query["query"] == ["(EXT_ID:17183658) AND SRC:MED"]
    assert (query["format"], query["resultType"], query["cursorMark"]) == (
        ["json"],
        ["lite"],
        ["*"],
    )
    [result] = europepmc.parse_pages([Page(request, 200, body_of(record))])
    assert result.status == "ok" and result.metrics == {"citations_europepmc": 23.0}
    assert result.work["doi"] == "10.1371/journal.pone.0000030"


def test_europepmc_recorded_core_record_values(reference_dir) -> None:
    """resultType=core (ours asks lite: smaller, and carries every field we read)."""
    record = load(reference_dir, "europepmc/search_core_cancer_pyeuropepmc.json")
    doi = "10.1016/s0140-6736(24)02600-x"
    [request], _ = europepmc.build_requests([WorkIds(doi, doi=doi)], SETTINGS)
    [result] = europepmc.parse_response(request, 200, body_of(record))
    assert result.status == "ok" and result.metrics == {"citations_europepmc": 0.0}
    assert (result.work["pmid"], result.work["journal"], result.work["year"]) == (
        "39709209",
        "Lancet (London, England)",
        2025,
    )


def test_europepmc_recorded_unknown_ext_id_is_not_found(reference_dir) -> None:
    record = load(reference_dir, "europepmc/search_ext_id_not_found_2016_lagotto.json")
    [request], _ = europepmc.build_requests([WorkIds("pmid:17183659", pmid="17183659")], SETTINGS)
    [result] = europepmc.parse_pages([Page(request, 200, body_of(record))])
    assert result.status == "not_found"  # a 200 with hitCount 0, not a 404


def test_europepmc_recorded_no_results(reference_dir) -> None:
    record = load(reference_dir, "europepmc/search_no_results_pyeuropepmc.json")
    [request], _ = europepmc.build_requests([WorkIds("10.5555/none", doi="10.5555/none")], SETTINGS)
    page = Page(request, 200, body_of(record))
    assert europepmc.next_request([page]) is None  # no nextCursorMark, nothing to retry by PMID
    [result] = europepmc.parse_pages([page])
    assert result.status == "not_found"
    assert recorded_query(record)["cursorMark"] == ["*"] and sent(request)[1]["cursorMark"] == ["*"]


@pytest.mark.parametrize(
    ("name", "cursor"),
    [
        ("europepmc/search_lite_pagesize5_cursor_pyeuropepmc.json", "AoIIP4lkIig1MzE0NTMwOA=="),
        ("europepmc/search_lite_cancer_25_hits_pyeuropepmc.json", "AoIIP4ZawSg1MzEyODI1MA=="),
        ("europepmc/search_idlist_pyeuropepmc.json", "AoIIP4ZawSg1MzEyODI1MA=="),
        ("europepmc/search_core_cancer_pyeuropepmc.json", "AoIIP4ZawSg1MzEyODI1MA=="),
    ],
)
def test_europepmc_recorded_cursor_is_followed(reference_dir, name, cursor) -> None:
    """hitCount 5,059,039 over a page: the next request carries the recorded nextCursorMark."""
    record = load(reference_dir, name)
    doi = "10.1016/s0140-6736(24)02600-x"  # the first record of each of these answers
    [request], _ = europepmc.build_requests([WorkIds(doi, doi=doi)], SETTINGS)
    page = Page(request, 200, body_of(record))
    following = europepmc.next_request([page])
    assert following is not None and dict(following.params)["cursorMark"] == cursor
    [part] = europepmc.parse_pages([page])
    assert part.status == "error" and "incomplete" in part.message  # never stored half-read


# ---------------------------------------------------------------- Semantic Scholar


def test_semanticscholar_recorded_batch_with_a_null(reference_dir) -> None:
    """Ours sends `DOI:<doi>` (the recording a bare DOI; both accepted) to the same
    POST /paper/batch with `fields` in the query string."""
    record = load(
        reference_dir, "semanticscholar/paper_batch_post_with_unknown_id_null_semanticscholar.json"
    )
    [ours], _ = semanticscholar.build_requests(
        [WorkIds("10.2139/ssrn.2250500", doi="10.2139/ssrn.2250500")], SETTINGS
    )
    assert ours.method == "POST" and sent(ours)[0] == "/graph/v1/paper/batch"
    assert ours.json == {"ids": ["DOI:10.2139/ssrn.2250500"]} and "fields" in sent(ours)[1]
    ids = json.loads(record["request"]["body"])["ids"]
    keys = ["corpus:211530585", "corpus:470667", "10.2139/ssrn.2250500", "s2:0f40b1f0"]
    request = ApiRequest("semanticscholar", "POST", ours.url, ours.params, (), {"ids": ids},
                         tuple(keys), tuple(zip(ids, keys, strict=True)))  # fmt: skip
    results = semanticscholar.parse_response(request, 200, body_of(record))
    assert [r.status for r in results] == ["not_found", "ok", "ok", "ok"]
    assert [r.metrics.get("citations_semanticscholar") for r in results] == [
        None,
        10670.0,
        2185.0,
        0.0,
    ]
    assert results[2].work["doi"] == "10.2139/ssrn.2250500"


def test_semanticscholar_recorded_batch_without_citation_field(reference_dir) -> None:
    """fields=authors only: no citationCount, so no value (missing, not zero)."""
    record = load(
        reference_dir, "semanticscholar/paper_batch_post_3_ids_fields_authors_semanticscholar.json"
    )
    ids = json.loads(record["request"]["body"])["ids"]
    request = ApiRequest(
        "semanticscholar", "POST", "x", (), (), {"ids": ids}, tuple(ids), tuple((i, i) for i in ids)
    )
    results = semanticscholar.parse_response(request, 200, body_of(record))
    assert [r.status for r in results] == ["ok"] * 3 and all(not r.metrics for r in results)


def test_semanticscholar_recorded_invalid_key_403(reference_dir) -> None:
    record = load(
        reference_dir, "semanticscholar/paper_batch_post_invalid_api_key_403_semanticscholar.json"
    )
    [request], _ = semanticscholar.build_requests(
        [WorkIds("10.2139/ssrn.2250500", doi="10.2139/ssrn.2250500")], SETTINGS
    )
    [result] = semanticscholar.parse_response(request, 403, body_of(record))
    assert result.status == "error" and result.message == "HTTP 403: Forbidden"


# ---------------------------------------------------------------- iCite, ORCID


def test_icite_recorded_legacy_pair(reference_dir) -> None:
    """Edited README example (see its provenance note), the legacy 2024 format."""
    record = load(
        reference_dir, "icite/pubs_pmids_2_legacy_format_2024_EDITED_readme_openicite.json"
    )
    works = [WorkIds("pmid:23456789", pmid="23456789"), WorkIds("pmid:27599104", pmid="27599104")]
    [request], _ = icite.build_requests(works, SETTINGS)
    assert sent(request)[1]["pmids"] == ["23456789,27599104"] == recorded_query(record)["pmids"]
    first, second = icite.parse_response(request, 200, body_of(record))
    assert (
        first.metrics["citations_icite"],
        first.metrics["rcr"],
        first.metrics["nih_percentile"],
    ) == (46.0, 1.78, 71.0)
    assert (second.metrics["citations_icite"], second.metrics["rcr"], second.metrics["apt"]) == (
        222.0,
        9.87,
        0.75,
    )


def test_orcid_recorded_works_lists(reference_dir) -> None:
    record = load(reference_dir, "orcid/works_v3_13kb_rorcid.json")
    request = orcid.build_works_request("0000-0002-9341-7985", SETTINGS)
    assert sent(request)[0] == urlsplit(record["request"]["url"]).path
    rows = orcid.parse_works(body_of(record))
    assert rows.height == len(json.loads(body_of(record))["group"]) and rows.height > 0
    assert rows["doi"].drop_nulls().str.starts_with("10.").all()
    empty = orcid.parse_works(
        body_of(load(reference_dir, "orcid/works_v3_empty_group_rorcid.json"))
    )
    assert empty.height == 0
    large = orcid.parse_works(
        body_of(load(reference_dir, "orcid/works_v3_large_140kb_rorcid.json"))
    )
    assert large.height > 50


def test_wikipedia_has_no_exturlusage_recording() -> None:
    """Nothing recorded to compare with (SOURCES.md gaps); our request is checked in
    test_wikipedia.py against the MediaWiki storage rules instead."""
    assert wikipedia.link_forms("10.1/a")[0] == "doi.org/10.1%2Fa"
