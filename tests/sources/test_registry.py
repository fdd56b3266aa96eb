"""What every enrichment source module promises, checked across the registry."""

import pytest

from lib.settings import Settings
from lib.sources import SOURCE_MODULES, source_readiness
from lib.sources.base import WorkIds
from lib.vocabulary import SOURCES, SUPPLIED_BY

KEYED = Settings.from_mapping(
    {
        "OPENALEX_API_KEY": "oa-secret",
        "ALTMETRIC_API_KEY": "alt-secret",
        "SEMANTIC_SCHOLAR_API_KEY": "s2-secret",
        "TRIANGULATE_MAILTO": "me@example.org",
    }
)
WORKS = [
    WorkIds("10.1371/journal.pone.0001", doi="10.1371/JOURNAL.PONE.0001.", pmid="1371"),
    WorkIds("pmid:12345", pmid="12345"),
    WorkIds("arxiv:2101.00001", arxiv="2101.00001"),
]
BAD_BODIES = [
    "<!DOCTYPE html><html><head><title>502</title></head></html>",
    '{"results": [{"id": "W1", "doi": "10.1',
    "[1, 2, 3]",
    "null",
    "",
]


def test_registry_names_and_vocabulary() -> None:
    assert list(SOURCE_MODULES) == [
        "openalex",
        "icite",
        "crossref",
        "europepmc",
        "semanticscholar",
        "altmetric",
        "wikipedia",
    ]
    for name, module in SOURCE_MODULES.items():
        assert name == module.NAME and name in SOURCES and name in SUPPLIED_BY
        assert callable(module.build_requests) and callable(module.parse_response)


@pytest.mark.parametrize("name", list(SOURCE_MODULES))
def test_every_work_is_requested_or_skipped_exactly_once(name: str) -> None:
    requests, skipped = SOURCE_MODULES[name].build_requests(WORKS, KEYED)
    asked = [key for r in requests for key in r.keys] + [s.key for s in skipped]
    assert sorted(asked) == sorted(w.key for w in WORKS)
    assert all(s.status == "skipped" and s.message for s in skipped)
    assert all(r.source == name and {k for _, k in r.lookup} == set(r.keys) for r in requests)


@pytest.mark.parametrize("name", [n for n in SOURCE_MODULES if n != "icite"])
def test_odd_doi_is_normalised_before_sending(name: str) -> None:
    requests, _ = SOURCE_MODULES[name].build_requests(WORKS[:1], KEYED)
    sent = " ".join(str(part) for r in requests for part in (r.url, r.params, r.json))
    assert "journal.pone.0001" in sent
    assert "JOURNAL" not in sent and "0001." not in sent


@pytest.mark.parametrize("name", list(SOURCE_MODULES))
@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bodies_never_raise(name: str, body: str) -> None:
    requests, _ = SOURCE_MODULES[name].build_requests(WORKS, KEYED)
    for request in requests:
        results = SOURCE_MODULES[name].parse_response(request, 200, body)
        assert [r.key for r in results] == list(request.keys)
        assert {r.status for r in results} <= {"error", "not_found"}
        assert all(r.message for r in results)


def test_keys_go_where_each_api_wants_them() -> None:
    placed = {}
    for name in ("openalex", "altmetric", "semanticscholar"):
        [request, *_], _ = SOURCE_MODULES[name].build_requests(WORKS[:1], KEYED)
        placed[name] = (dict(request.params), dict(request.headers))
    assert placed["openalex"][0]["api_key"] == "oa-secret"
    assert placed["altmetric"][0]["key"] == "alt-secret"
    assert placed["semanticscholar"][1]["x-api-key"] == "s2-secret"
    assert "s2-secret" not in str(placed["semanticscholar"][0])


def test_readiness_without_configuration() -> None:
    rows = {row["name"]: row for row in source_readiness(Settings())}
    assert list(rows) == list(SOURCE_MODULES)
    assert rows["openalex"]["usable"] is True
    assert rows["openalex"]["reason"] == (
        "OpenAlex: no API key; required since 13 Feb 2026 — requests may be refused"
    )
    assert (rows["altmetric"]["usable"], rows["altmetric"]["reason"]) == (
        False,
        "Altmetric: no API key",
    )
    assert rows["semanticscholar"]["reason"] == "Semantic Scholar: no key, shared keyless pool"
    assert rows["crossref"]["reason"] == (
        "Crossref: no contact address (TRIANGULATE_MAILTO); polite pool unavailable"
    )
    assert rows["icite"]["label"] == "NIH iCite" and rows["icite"]["usable"]
    assert not any(row["base_url_overridden"] for row in rows.values())


def test_readiness_with_keys_and_an_overridden_base() -> None:
    settings = Settings.from_mapping(
        {
            "ALTMETRIC_API_KEY": "alt-secret",
            "OPENALEX_API_KEY": "oa-secret",
            "TRIANGULATE_ICITE_URL": "http://127.0.0.1:8000/icite",
        }
    )
    rows = {row["name"]: row for row in source_readiness(settings)}
    assert all(row["usable"] for row in rows.values())
    assert rows["openalex"]["reason"] == "OpenAlex: API key set"
    assert rows["icite"]["base_url_overridden"] is True
    assert "http://127.0.0.1:8000/icite" in rows["icite"]["reason"]
    assert not any("secret" in str(row) for row in rows.values())
