"""Bodies follow the documented `list=exturlusage` shape (formatversion=2; no recorded body exists).

How links are stored (apis.md §12.1): a citation template stores `//doi.org/` + the DOI
percent-encoded (slash as %2F), in the editor's case; hand-written links keep the raw slash.
"""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.settings import Settings
from lib.sources import wikipedia
from lib.sources.base import Page, WorkIds
from tests.mock_records import cs1_doi_link

SETTINGS = Settings.from_mapping({"TRIANGULATE_WIKIPEDIA_URL": "http://127.0.0.1:9/wiki/api.php"})
DOI = "10.1016/s0140-6736(20)30183-5"


def request_for(doi: str = DOI):
    [request], skipped = wikipedia.build_requests([WorkIds(DOI, doi=doi)], SETTINGS)
    assert not skipped
    return request


def body(*links: tuple[int, str], more: bool = False) -> str:
    pages = [{"pageid": pid, "ns": 0, "title": f"Page {pid}", "url": url} for pid, url in links]
    answer: dict = {"batchcomplete": True, "query": {"exturlusage": pages}}
    if more:
        answer["continue"] = {"eucontinue": "0|123", "continue": "-||"}
    return json.dumps(answer)


def chain(first_bodies: dict[str, list[str]], doi: str = DOI) -> list[Page]:
    """Walk `next_request` as the fetcher does, answering each euquery with its bodies in turn."""
    request = request_for(doi)
    served: dict[str, int] = {}
    pages = []
    while request is not None:
        form = dict(request.params)["euquery"]
        answers = first_bodies.get(form, [body()])
        text = answers[min(served.get(form, 0), len(answers) - 1)]
        served[form] = served.get(form, 0) + 1
        pages.append(Page(request, 200, text))
        request = wikipedia.next_request(pages)
    return pages


def test_request_shape_asks_every_stored_form_without_a_protocol_filter() -> None:
    request = request_for("https://doi.org/10.1016/S0140-6736(20)30183-5")
    assert request.url == "http://127.0.0.1:9/wiki/api.php"
    params = dict(request.params)
    assert (params["action"], params["list"], params["eunamespace"]) == (
        "query",
        "exturlusage",
        "0",
    )
    assert "euprotocol" not in params  # `https` would drop every http:// link
    assert params["euquery"] == "doi.org/10.1016%2Fs0140-6736(20)30183-5"
    assert wikipedia.link_forms("10.1016/S0140-6736(20)30183-5") == [
        "doi.org/10.1016%2Fs0140-6736(20)30183-5",
        "doi.org/10.1016/s0140-6736(20)30183-5",
        "doi.org/10.1016%2FS0140-6736(20)30183-5",
        "doi.org/10.1016/S0140-6736(20)30183-5",
    ]
    _, skipped = wikipedia.build_requests([WorkIds("pmid:1", pmid="1")], SETTINGS)
    assert skipped[0].status == "skipped"


_DOI_CHARS = st.sampled_from("abcxyzABC0123456789-._;()/:<>[]")


@given(
    prefix=st.integers(1000, 99999),
    suffix=st.text(_DOI_CHARS, min_size=1, max_size=20),
    upper=st.booleans(),
)
def test_a_template_link_in_either_case_is_found_by_some_query(prefix, suffix, upper) -> None:
    doi = f"10.{prefix}/{suffix}".lower()
    stored = cs1_doi_link(doi.upper() if upper else doi).removeprefix("https://")
    assert any(stored.startswith(form) for form in wikipedia.link_forms(doi))
    assert any(f"doi.org/{doi}".startswith(form) for form in wikipedia.link_forms(doi))


def test_continue_is_followed_then_the_next_form_then_the_end() -> None:
    first = request_for()
    following = wikipedia.next_request([Page(first, 200, body(more=True))])
    assert following is not None
    params = dict(following.params)
    assert params["euquery"] == dict(first.params)["euquery"]
    assert (params["eucontinue"], params["continue"]) == ("0|123", "-||")
    after = wikipedia.next_request([Page(following, 200, body())])
    assert dict(after.params)["euquery"] == wikipedia.link_forms(DOI)[1]
    assert "eucontinue" not in dict(after.params)
    pages = chain({})
    assert len(pages) == len(wikipedia.link_forms(DOI)) == 4  # lower == given: 2 cases x 2
    assert wikipedia.next_request(pages) is None


def test_distinct_articles_linking_exactly_the_doi_over_every_form_and_page() -> None:
    encoded, raw = wikipedia.link_forms(DOI)[:2]
    pages = chain(
        {
            encoded: [
                body((1, "https://doi.org/10.1016%2Fs0140-6736(20)30183-5"), more=True),
                body((2, "https://doi.org/10.1016%2Fs0140-6736(20)30183-5#x")),
            ],
            raw: [
                body(
                    (1, f"http://doi.org/{DOI}"),  # the same article again, by hand over http
                    (3, f"https://doi.org/{DOI}0"),  # prefix match of a longer DOI: not this work
                    (4, f"http://doi.org/{DOI.upper()}"),
                )
            ],
        }
    )
    [result] = wikipedia.parse_pages(pages)
    assert result.status == "ok"
    assert result.metrics == {"wikipedia_mentions": 3.0}
    assert [m.title for m in result.mentions] == ["Page 1", "Page 2", "Page 4"]
    assert result.mentions[0].url == "https://en.wikipedia.org/wiki/Page_1"
    assert result.mentions[1].link.endswith("#x")


def test_zero_is_a_real_zero_and_a_part_is_never_stored() -> None:
    [none] = wikipedia.parse_pages(chain({}))
    assert (none.status, none.metrics) == ("ok", {"wikipedia_mentions": 0.0})
    pages = chain({})
    cut = [*pages[:1], Page(pages[0].request, 200, body((7, f"https://doi.org/{DOI}"), more=True))]
    [part] = wikipedia.parse_pages(cut)
    assert part.status == "error" and "incomplete" in part.message
    [single] = wikipedia.parse_response(request_for(), 200, body())
    assert single.status == "error"  # one form alone is not the answer


@pytest.mark.parametrize(
    ("status", "answer", "message"),
    [
        (200, '{"error": {"code": "maxlag", "info": "Waiting for a database server"}}', "maxlag"),
        (200, "<html>Wikimedia Error</html>", "HTML"),
        (200, '{"query": {"exturlusage": [', "truncated"),
        (200, '{"batchcomplete": true}', "shape"),
        (503, "Service Unavailable", "HTTP 503"),
    ],
)
def test_bad_bodies(status: int, answer: str, message: str) -> None:
    request = request_for()
    assert wikipedia.next_request([Page(request, status, answer)]) is None
    [result] = wikipedia.parse_pages([Page(request, status, answer)])
    assert result.status == "error" and message.lower() in result.message.lower()
