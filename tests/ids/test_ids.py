"""Identifier recognition: messy real-world forms, negatives, free text, properties, Polars parity."""

from __future__ import annotations

import time

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.ids import (
    Identifier,
    Invalid,
    find_identifiers,
    normalize_doi,
    orcid_checksum_ok,
    parse_identifier,
    parse_identifier_expr,
    parse_work_key,
    work_key,
)

NATURE = "10.1038/nature12373"
LANCET = "10.1016/s0140-6736(20)30183-5"
NEJM = "10.1056/nejmoa2002032"
SICI = "10.1002/(sici)1097-4636(199706)35:4<491::aid-jbm10>3.0.co;2-#"

MESSY_FORMS = [
    # DOIs as typed, pasted from reference lists, exports and spreadsheets
    ("10.1000/ABC", "doi", "10.1000/abc"),
    ("https://doi.org/10.1000/ABC.", "doi", "10.1000/abc"),
    ("doi:10.1000/xyz;", "doi", "10.1000/xyz"),
    ("(doi: 10.1000/xyz)", "doi", "10.1000/xyz"),
    ("10.1016/S0140-6736(20)30183-5", "doi", LANCET),
    ("(10.1016/S0140-6736(20)30183-5).", "doi", LANCET),
    ("https://doi.org/10.1016/S0140-6736(20)30183-5)", "doi", LANCET),
    ("10.1016/S0099-1333(02)00284-7", "doi", "10.1016/s0099-1333(02)00284-7"),
    ("10.1000/abc(1)", "doi", "10.1000/abc(1)"),
    ("DOI: 10.1056/NEJMoa2002032", "doi", NEJM),
    ("DOI 10.1056/NEJMoa2002032", "doi", NEJM),
    ("DOI:10.1056/NEJMoa2002032.", "doi", NEJM),
    ("http://dx.doi.org/10.1371/journal.pone.0000001", "doi", "10.1371/journal.pone.0000001"),
    ("doi.org/10.1371/journal.pone.0000001", "doi", "10.1371/journal.pone.0000001"),
    ("https://www.doi.org/10.1038/nature12373", "doi", NATURE),
    ("HTTPS://DOI.ORG/10.1038/NATURE12373", "doi", NATURE),
    ("10.1038%2Fnature12373", "doi", NATURE),
    ("https%3A%2F%2Fdoi.org%2F10.1038%2Fnature12373", "doi", NATURE),
    (" \u201c10.1038/nature12373\u201d ", "doi", NATURE),
    ("10.1038/nature12373\u200b", "doi", NATURE),
    ("\ufeff10.1038/nature12373", "doi", NATURE),
    ("10.1016/S0140\u20136736(20)30183\u20135", "doi", LANCET),
    ("10.1016/S0140\u20146736(20)30183\u22125", "doi", LANCET),
    ("10.1002/(SICI)1097-4636(199706)35:4&lt;491::AID-JBM10&gt;3.0.CO;2-#", "doi", SICI),
    ("10.1002/(SICI)1097-4636(199706)35:4<491::AID-JBM10>3.0.CO;2-#", "doi", SICI),
    ("https://doi.org/10.1002/(SICI)1097-4636(199706)35:4<491::AID-JBM10>3.0.CO;2-#.", "doi", SICI),
    ("<https://doi.org/10.1038/nature12373>", "doi", NATURE),
    ("[10.1038/nature12373]", "doi", NATURE),
    ("{10.1038/nature12373}", "doi", NATURE),
    ("'10.1038/nature12373", "doi", NATURE),
    ('="10.1038/nature12373"', "doi", NATURE),
    ("https://onlinelibrary.wiley.com/doi/full/10.1002/sim.8765", "doi", "10.1002/sim.8765"),
    ("https://onlinelibrary.wiley.com/doi/epdf/10.1002/sim.8765", "doi", "10.1002/sim.8765"),
    (
        "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0000001",
        "doi",
        "10.1371/journal.pone.0000001",
    ),
    ("https://www.nejm.org/doi/full/10.1056/NEJMoa2002032#article_citing_articles", "doi", NEJM),
    (
        "https://link.springer.com/article/10.1007/s00125-020-05130-9",
        "doi",
        "10.1007/s00125-020-05130-9",
    ),
    (
        "https://www.biorxiv.org/content/10.1101/2020.03.01.123456v1.full.pdf",
        "doi",
        "10.1101/2020.03.01.123456",
    ),
    (
        "https://www.medrxiv.org/content/10.1101/2020.04.14.20062463v2",
        "doi",
        "10.1101/2020.04.14.20062463",
    ),
    (
        "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdoi.org%2F10.1038"
        "%2Fnature12373&data=05%7C01%7Cme%40example.org",
        "doi",
        NATURE,
    ),
    ("mailto:https://doi.org/10.1038/nature12373", "doi", NATURE),
    ("LID - 10.1016/S0140-6736(20)30183-5 [doi]", "doi", LANCET),
    ("AID - 10.1056/NEJMoa2002032 [doi]", "doi", NEJM),
    ("DI 10.1056/NEJMoa2002032", "doi", NEJM),
    ("DO  - 10.1056/NEJMoa2002032", "doi", NEJM),
    ("info:doi/10.1038/nature12373", "doi", NATURE),
    ("urn:doi:10.1038/nature12373", "doi", NATURE),
    ("doi: https://doi.org/10.1038/nature12373.", "doi", NATURE),
    ("https://doi.org/10.1093/ajae/aaq063\t", "doi", "10.1093/ajae/aaq063"),
    ("\tdoi:10.1038/nature12373\r\n", "doi", NATURE),
    ("doi:\xa010.1038/nature12373", "doi", NATURE),
    ("10.1038/nature12373,", "doi", NATURE),
    ("https://doi.org/10.1000/a&amp;b", "doi", "10.1000/a&b"),
    ("doi:10.48550/arXiv.2101.00001", "doi", "10.48550/arxiv.2101.00001"),
    ("10.1000.10/abc", "doi", "10.1000.10/abc"),
    ("doi:10.1000/a<;", "doi", "10.1000/a<"),
    # PMIDs
    ("PMID: 31986264", "pmid", "31986264"),
    ("pmid:31986264", "pmid", "31986264"),
    ("PMID- 31986264", "pmid", "31986264"),
    ("PMID 31986264.", "pmid", "31986264"),
    ("[PMID: 31986264]", "pmid", "31986264"),
    ("PubMed ID: 31986264", "pmid", "31986264"),
    ("PM 31986264", "pmid", "31986264"),
    ("https://pubmed.ncbi.nlm.nih.gov/31986264/", "pmid", "31986264"),
    ("https://pubmed.ncbi.nlm.nih.gov/31986264/?from_term=covid", "pmid", "31986264"),
    ("www.ncbi.nlm.nih.gov/pubmed/31986264", "pmid", "31986264"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/?term=31986264", "pmid", "31986264"),
    ("https://europepmc.org/article/MED/31986264", "pmid", "31986264"),
    ("31986264", "pmid", "31986264"),
    ("'31986264", "pmid", "31986264"),
    ("31986264.0", "pmid", "31986264"),
    ("00012345", "pmid", "12345"),
    # PMCIDs
    ("PMC7159299", "pmcid", "PMC7159299"),
    ("pmc7159299", "pmcid", "PMC7159299"),
    ("PMC 7159299", "pmcid", "PMC7159299"),
    ("PMCID: PMC7159299", "pmcid", "PMC7159299"),
    ("PMC - PMC7159299", "pmcid", "PMC7159299"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7159299/", "pmcid", "PMC7159299"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC7159299/", "pmcid", "PMC7159299"),
    ("https://europepmc.org/article/PMC/PMC7159299", "pmcid", "PMC7159299"),
    ("https://europepmc.org/articles/PMC7159299", "pmcid", "PMC7159299"),
    # ORCID iDs
    ("https://orcid.org/0000-0002-1825-0097", "orcid", "0000-0002-1825-0097"),
    ("0000-0002-1825-0097", "orcid", "0000-0002-1825-0097"),
    ("0000000218250097", "orcid", "0000-0002-1825-0097"),
    ("0000 0002 1825 0097", "orcid", "0000-0002-1825-0097"),
    ("ORCID: 0000-0002-1825-0097", "orcid", "0000-0002-1825-0097"),
    ("orcid.org/0000-0002-1825-0097/", "orcid", "0000-0002-1825-0097"),
    ("http://orcid.org/0000-0001-5109-3700", "orcid", "0000-0001-5109-3700"),
    ("0000-0001-5109-368x", "orcid", "0000-0001-5109-368X"),
    ("0000\u20130002\u20131694\u2013233X", "orcid", "0000-0002-1694-233X"),
    # arXiv
    ("arXiv:2101.00001v2", "arxiv", "2101.00001"),
    ("2101.00001", "arxiv", "2101.00001"),
    ("ARXIV: 1706.03762", "arxiv", "1706.03762"),
    ("arxiv.org/abs/1706.03762", "arxiv", "1706.03762"),
    ("https://arxiv.org/abs/2101.00001", "arxiv", "2101.00001"),
    ("https://arxiv.org/pdf/2101.00001v3.pdf", "arxiv", "2101.00001"),
    ("hep-th/9901001", "arxiv", "hep-th/9901001"),
    ("arXiv:hep-th/9901001v1", "arxiv", "hep-th/9901001"),
    ("math.GT/0309136", "arxiv", "math.GT/0309136"),
    # OpenAlex works
    ("W2741809807", "openalex", "W2741809807"),
    ("w2741809807", "openalex", "W2741809807"),
    ("https://openalex.org/W2741809807", "openalex", "W2741809807"),
    ("openalex:W2741809807", "openalex", "W2741809807"),
    ("https://api.openalex.org/works/W2741809807", "openalex", "W2741809807"),
]


@pytest.mark.parametrize(("text", "scheme", "value"), MESSY_FORMS)
def test_messy_forms_parse_to_the_normalised_identifier(text: str, scheme: str, value: str) -> None:
    assert parse_identifier(text) == Identifier(scheme, value)  # type: ignore[arg-type]


NOT_IDENTIFIERS = [
    "this/is/notadoi",
    "10.1/abc",
    "10.123/abc",
    "10.1000",
    "10.1000/",
    "doi:",
    "555-123-4567",
    "+1 (555) 123-4567",
    "1234-5678",
    "ISSN 0028-0836",
    "978-3-16-148410-0",
    "9783161484100",
    "0",
    "000",
    "PMC",
    "PMC0",
    "123456789",
    "1313.00001",
    "arXiv:",
    "W",
    "n/a",
    "Smith J, 2020",
    "https://example.com/",
    "https://www.nature.com/articles/s41586-020-2012-7",
    "",
    "   ",
    "10.1000/a%2541",
]


@pytest.mark.parametrize("text", NOT_IDENTIFIERS)
def test_non_identifiers_are_invalid_with_a_reason(text: str) -> None:
    result = parse_identifier(text)
    assert isinstance(result, Invalid)
    assert result.text == text
    assert result.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("0000-0002-1825-0098", "ORCID checksum fails"),
        ("this/is/notadoi", "not a DOI, PMID, PMCID, arXiv or OpenAlex id"),
        (None, "empty"),
        ("10.1/abc", "looks like a DOI but is not 10.<4-9 digit registrant>/<suffix>"),
        ("0", "a bare number is a PMID only with 1-8 digits and not zero"),
        ("x" * 10_000_000, "longer than 2000 characters, too long to be an identifier"),
    ],
)
def test_invalid_reasons_are_plain_english(text: str | None, reason: str) -> None:
    result = parse_identifier(text)
    assert isinstance(result, Invalid)
    assert result.reason == reason


def test_expect_accepts_only_that_scheme() -> None:
    assert parse_identifier("2020") == Identifier("pmid", "2020")  # any 1-8 digit number is a PMID
    assert isinstance(parse_identifier("2020", expect="doi"), Invalid)
    assert parse_identifier("PMC123", expect="pmcid") == Identifier("pmcid", "PMC123")
    wrong = parse_identifier("10.1000/x", expect="pmid")
    assert isinstance(wrong, Invalid)
    assert "DOI" in wrong.reason


def test_identifier_keys_and_urls() -> None:
    cases = {
        "doi:10.1000/ABC": ("10.1000/abc", "https://doi.org/10.1000/abc"),
        "PMID:123": ("pmid:123", "https://pubmed.ncbi.nlm.nih.gov/123/"),
        "PMC123": ("pmcid:PMC123", "https://pmc.ncbi.nlm.nih.gov/articles/PMC123/"),
        "arXiv:2101.00001v2": ("arxiv:2101.00001", "https://arxiv.org/abs/2101.00001"),
        "W123": ("openalex:W123", "https://openalex.org/W123"),
        "0000-0002-1825-0097": (None, "https://orcid.org/0000-0002-1825-0097"),
    }
    for text, (key, url) in cases.items():
        identifier = parse_identifier(text)
        assert isinstance(identifier, Identifier)
        assert (identifier.key, work_key(identifier), identifier.url) == (key, key, url)


def test_arxiv_version_is_kept_aside() -> None:
    identifier = parse_identifier("https://arxiv.org/abs/2101.00001v2")
    assert isinstance(identifier, Identifier)
    assert (identifier.value, identifier.version) == ("2101.00001", "v2")


def test_helpers() -> None:
    assert normalize_doi("https://doi.org/10.1000/ABC.") == "10.1000/abc"
    assert normalize_doi("PMID: 123") is None
    assert normalize_doi(None) is None
    assert parse_work_key("pmid:123") == Identifier("pmid", "123")
    assert parse_work_key("10.1000/abc") == Identifier("doi", "10.1000/abc")
    assert parse_work_key("nonsense") is None
    assert orcid_checksum_ok("0000-0002-1825-0097")
    assert orcid_checksum_ok("0000-0001-5109-368X")
    assert not orcid_checksum_ok("0000-0002-1825-0098")
    assert not orcid_checksum_ok("not an orcid")


def test_find_identifiers_on_a_multi_id_line() -> None:
    line = "10.1038/nature12373; PMID: 31986264; PMC7159299, arXiv:2101.00001 | W2741809807"
    assert find_identifiers(line) == [
        Identifier("doi", NATURE),
        Identifier("pmid", "31986264"),
        Identifier("pmcid", "PMC7159299"),
        Identifier("arxiv", "2101.00001"),
        Identifier("openalex", "W2741809807"),
    ]
    assert find_identifiers("10.1038/nature12373,10.1056/NEJMoa2002032") == [
        Identifier("doi", NATURE),
        Identifier("doi", NEJM),
    ]


def test_find_identifiers_in_a_reference_list() -> None:
    paragraph = (
        "1. Huang C, Wang Y, Li X, et al. Clinical features of patients infected with 2019 novel "
        "coronavirus in Wuhan, China. Lancet. 2020;395(10223):497-506. "
        "doi:10.1016/S0140-6736(20)30183-5. PMID: 31986264; PMCID: PMC7159299.\n"
        "2. Guan W, et al. N Engl J Med 2020; 382:1708-1720 (https://doi.org/10.1056/NEJMoa2002032).\n"
        "3. Vaswani A et al. Attention is all you need (arXiv:1706.03762v5), 2017, p. 5998.\n"
        "Corresponding author ORCID https://orcid.org/0000-0002-1825-0097; tel. 555-123-4567.\n"
        "Repeated: DOI: 10.1016/s0140-6736(20)30183-5 and https://pubmed.ncbi.nlm.nih.gov/31986264/."
    )
    assert find_identifiers(paragraph) == [
        Identifier("doi", LANCET),
        Identifier("pmid", "31986264"),
        Identifier("pmcid", "PMC7159299"),
        Identifier("doi", NEJM),
        Identifier("arxiv", "1706.03762"),
        Identifier("orcid", "0000-0002-1825-0097"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Published in 2020, volume 395, pages 497-506.",
        "Call 555-123-4567 or +1 (555) 123-4567.",
        "ISSN 1234-5678, ISBN 978-3-16-148410-0, this/is/notadoi, 10.1/abc.",
        "12345678",
        "",
        None,
    ],
)
def test_find_identifiers_ignores_numbers_and_lookalikes(text: str | None) -> None:
    assert find_identifiers(text) == []


# --- properties -----------------------------------------------------------------------------

DOI_SUFFIX_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._;()/:<>#[]é")
)
dois = st.builds(
    lambda registrant, suffix_head, suffix: f"10.{registrant}/{suffix_head}{suffix}",
    st.integers(1000, 999_999_999),
    st.sampled_from(list("abcxyzABC0123456789")),
    st.text(DOI_SUFFIX_CHARS, max_size=25),
)
identifier_texts = st.one_of(
    dois,
    st.integers(1, 99_999_999).map(str),
    st.integers(1, 99_999_999).map(lambda n: f"PMC{n}"),
    st.sampled_from(["0000-0002-1825-0097", "0000-0001-5109-368X", "0000-0002-1694-233X"]),
    st.sampled_from(["2101.00001v2", "1706.03762", "hep-th/9901001", "math.GT/0309136v2"]),
    st.integers(1, 10**11).map(lambda n: f"W{n}"),
)
WRAPPERS = [
    ("", ""),
    ("doi:", ";"),
    ("(doi: ", ")."),
    ("https://doi.org/", "."),
    ("PMID: ", ","),
    ("pmc", ""),
    ("'", ""),
    ('="', '"'),
    ("[", "]"),
    ("<", ">"),
    (" \u201c", "\u201d\t"),
    ("https://orcid.org/", "/"),
    ("arXiv:", ""),
    ("https://openalex.org/", ""),
    ("https://pubmed.ncbi.nlm.nih.gov/", "/"),
    ("https://onlinelibrary.wiley.com/doi/full/", "#x"),
]
messy_texts = st.one_of(
    st.builds(
        lambda ident, wrap: wrap[0] + ident + wrap[1], identifier_texts, st.sampled_from(WRAPPERS)
    ),
    st.text(max_size=40),
    st.text(st.sampled_from(list("0123456789PMCWdoi.:/-()<>[]{}; %2F&lt;X")), max_size=30),
)


@given(identifier_texts)
def test_parsing_value_url_and_key_is_idempotent(text: str) -> None:
    identifier = parse_identifier(text)
    if isinstance(identifier, Invalid):
        return
    assert parse_identifier(identifier.value) == identifier
    assert parse_identifier(identifier.url) == identifier
    if identifier.key is not None:
        assert parse_work_key(identifier.key) == identifier
        assert parse_identifier(identifier.key) == identifier
        assert parse_work_key(identifier.key).key == identifier.key  # type: ignore[union-attr]


@given(messy_texts)
def test_any_identifier_found_is_a_fixed_point(text: str) -> None:
    identifier = parse_identifier(text)
    if isinstance(identifier, Identifier):
        assert parse_identifier(identifier.value) == identifier
        assert parse_identifier(identifier.url) == identifier


@given(dois)
def test_normalised_dois_are_lower_case_without_whitespace(doi: str) -> None:
    value = normalize_doi(f" https://doi.org/{doi.upper()}. ")
    if value is not None:
        assert value == value.lower()
        assert not any(c.isspace() for c in value)


@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), messy_texts))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(parse_identifier(text), Identifier | Invalid)
    assert isinstance(find_identifiers(text), list)


def test_never_raises_on_odd_inputs() -> None:
    for odd in [None, b"10.1000/abc", b"\xff\xfe", 12345678, 3.5, "\x00" * 100, "(" * 5000]:
        assert isinstance(parse_identifier(odd), Identifier | Invalid)  # type: ignore[arg-type]
    assert isinstance(parse_identifier("10.1000/" + "x" * 10_000_000), Invalid)


def _scalar_rows(texts: list[str | None]) -> list[tuple[str | None, ...]]:
    rows = []
    for text in texts:
        result = parse_identifier(text)
        if isinstance(result, Identifier):
            rows.append((result.scheme, result.value, result.key, None))
        else:
            rows.append((None, None, None, result.reason))
    return rows


def _polars_rows(texts: list[str | None]) -> list[tuple[str | None, ...]]:
    frame = pl.DataFrame({"input": texts}, schema={"input": pl.String})
    return frame.select(parse_identifier_expr("input").alias("parsed")).unnest("parsed").rows()


def test_polars_expression_agrees_on_the_tables() -> None:
    texts = [text for text, _, _ in MESSY_FORMS] + NOT_IDENTIFIERS + [None, "x" * 3000]
    assert _polars_rows(texts) == _scalar_rows(texts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messy_texts, min_size=1, max_size=40))
def test_polars_expression_agrees_on_generated_messy_inputs(texts: list[str]) -> None:
    assert _polars_rows(texts) == _scalar_rows(texts)


def test_polars_expression_on_a_lazy_frame_and_timing() -> None:
    forms = [text for text, _, _ in MESSY_FORMS] + NOT_IDENTIFIERS
    frame = pl.DataFrame({"input": (forms * (100_000 // len(forms) + 1))[:100_000]})
    started = time.perf_counter()
    parsed = frame.lazy().with_columns(parsed=parse_identifier_expr(pl.col("input"))).collect()
    elapsed = time.perf_counter() - started
    print(f"\nparse_identifier_expr: 100,000 rows in {elapsed:.3f} s")
    assert parsed.height == 100_000
    assert parsed["parsed"].struct.field("value").null_count() > 0
