import json
from pathlib import Path

import polars as pl
import pytest

from lib.settings import Settings
from lib.sources import orcid
from lib.sources._common import ResponseError


@pytest.fixture
def group_array(reference_dir: Path) -> str:
    return (
        reference_dir
        / "fixtures"
        / "api"
        / "orcid"
        / "works_v3_group_array_0000-0002-0766-7305.json"
    ).read_text()


def test_group_array_one_row_per_group(group_array: str) -> None:
    works = orcid.parse_works(group_array)
    assert works.columns == ["doi", "pmid", "pmcid", "title", "year", "journal", "type"]
    assert works.height == 5
    assert works["doi"].to_list() == [
        "10.5281/zenodo.5624531",  # normalised value of "10.5281/ZENODO.5624531"
        "10.1145/3424911.3425514",
        "10.5281/zenodo.4245572",
        None,
        None,
    ]
    first = works.row(0, named=True)
    assert first["title"] == "Cosine Contours: a Multipurpose Representation for Melodies"
    assert (first["year"], first["type"]) == (2021, "conference-paper")
    assert first["journal"] == "International Society for Music Information Retrieval Conference"
    assert works["year"].to_list() == [2021, 2020, 2020, 2017, 2016]
    assert works.filter(pl.col("type") == "dissertation-thesis")["journal"].to_list() == [None]


def test_full_response_and_self_ids_only(group_array: str) -> None:
    groups = json.loads(group_array)[:1]
    groups[0]["external-ids"]["external-id"] += [
        {
            "external-id-type": "issn",
            "external-id-value": "1234-5678",
            "external-id-relationship": "part-of",
        },
        {
            "external-id-type": "doi",
            "external-id-value": "10.9/BOOK",
            "external-id-relationship": "part-of",
        },
        {
            "external-id-type": "pmid",
            "external-id-value": "31986264",
            "external-id-relationship": "self",
        },
        {
            "external-id-type": "pmc",
            "external-id-value": "PMC7159299",
            "external-id-relationship": "self",
        },
    ]
    body = json.dumps(
        {"last-modified-date": None, "group": groups, "path": "/0000-0002-0766-7305/works"}
    )
    [row] = orcid.parse_works(body).to_dicts()
    assert (row["doi"], row["pmid"], row["pmcid"]) == (
        "10.5281/zenodo.5624531",
        "31986264",
        "PMC7159299",
    )


def test_empty_and_bad_bodies() -> None:
    assert orcid.parse_works('{"group": []}').height == 0
    with pytest.raises(ResponseError, match="HTML"):
        orcid.parse_works("<html>503 Service Temporarily Unavailable</html>")
    with pytest.raises(ResponseError, match="truncated"):
        orcid.parse_works('{"group": [{"external-ids"')


def test_works_request() -> None:
    settings = Settings.from_mapping({"TRIANGULATE_ORCID_URL": "http://127.0.0.1:9/orcid/v3.0/"})
    request = orcid.build_works_request("https://orcid.org/0000-0002-0766-7305", settings)
    assert request.url == "http://127.0.0.1:9/orcid/v3.0/0000-0002-0766-7305/works"
    assert request.headers == (("Accept", "application/json"),)
    assert orcid.build_works_request("0000-0001-2345-007x", Settings()).url.endswith(
        "/0000-0001-2345-007X/works"
    )
    with pytest.raises(ValueError):
        orcid.build_works_request("0000-0002", settings)
    with pytest.raises(ValueError):  # one ORCID rule (lib.ids): the checksum is checked here too
        orcid.build_works_request("0000-0001-2345-678X", settings)


def test_a_fetched_and_an_uploaded_orcid_record_give_the_same_works(group_array: str) -> None:
    from lib.readers import read_upload, validate

    fetched = orcid.parse_works(group_array)
    uploaded = read_upload(group_array.encode(), "works.json")
    assert uploaded.format == "orcid-json"
    keys = validate(uploaded).items.filter(pl.col("status") == "valid")["key"].to_list()
    assert keys == fetched["doi"].drop_nulls().to_list()
    assert uploaded.frame["title"].to_list() == fetched["title"].to_list()
