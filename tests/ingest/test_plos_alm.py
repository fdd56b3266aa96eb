"""Loading the real PLOS ALM file reproduces the published figures from the cache, not the file."""

from pathlib import Path

import polars as pl
import pytest

from lib.ingest.plos_alm import load_plos_alm
from lib.readers.plos_alm import JOURNALS
from lib.store import connect, list_collections, works_wide
from tests.sql import query

# stats/results/tables/table1.csv of jasonpriem/plos_altmetrics_study (SOURCES.md, figure 1).
TABLE1 = {
    2003: (33, 0, 0, 0, 0, 0, 0),
    2004: (174, 0, 0, 13, 0, 0, 0),
    2005: (176, 55, 66, 86, 0, 0, 36),
    2006: (184, 136, 173, 145, 0, 138, 97),
    2007: (203, 203, 210, 135, 26, 1229, 173),
    2008: (197, 251, 325, 110, 133, 2716, 271),
    2009: (181, 343, 436, 76, 178, 4399, 423),
    2010: (177, 363, 409, 78, 284, 5596, 459),
}
COLUMNS = list(JOURNALS.values())  # same order as table1's columns
PLOS_COLUMNS = (
    "deliciousCount",
    "facebookLikeCount",
    "facebookCommentCount",
    "facebookClickCount",
    "mendeleyReadersCount",
    "almBlogsCount",
    "almCiteULikeCount",
    "almScopusCount",
    "almPubMedCentralCount",
    "almCrossRefCount",
    "plosCommentCount",
    "plosCommentResponsesCount",
    "wikipediaCites",
    "daysSincePublished",
    "wosCountThru2010",
)
MEAN_BACKTWEETS = {
    "PLoS Biology": 0.05811321,
    "PLoS Computational Biology": 0.12657291,
    "PLoS Genetics": 0.06547251,
    "PLoS Medicine": 0.31104199,
    "PLoS Neglected Tropical Diseases": 0.02576490,
    "PLoS ONE": 0.49303878,
    "PLoS Pathogens": 0.02604524,
}


@pytest.fixture(scope="module")
def loaded(reference_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    path = reference_dir / "data" / "plos_alm" / "counts-raw.txt.gz"
    if not path.is_file():
        pytest.skip(f"PLOS ALM file not found at {path}")
    db = tmp_path_factory.mktemp("plos") / "cache.duckdb"
    with connect(db) as con:
        counts = load_plos_alm(con, path)
    return db, counts


def test_counts_and_collections(loaded):
    db, counts = loaded
    assert counts["works"] == 24331
    assert counts["collections"] == 7
    with connect(db) as con:
        collections = list_collections(con)
    assert set(collections["name"]) == {f"PLOS ALM 2011: {j}" for j in COLUMNS}
    assert collections["kind"].unique().to_list() == ["reference"]
    assert collections["works"].sum() == 24331


def test_research_articles_by_journal_and_year(loaded):
    db, _ = loaded
    with connect(db) as con:
        cells = query(
            con,
            "SELECT year, journal, count(*) AS n FROM work "
            "WHERE type = 'Research Article' GROUP BY ALL",
        )
    got = {(r["year"], r["journal"]): r["n"] for r in cells.iter_rows(named=True)}
    for year, row in TABLE1.items():
        for journal, expected in zip(COLUMNS, row, strict=True):
            assert got.get((year, journal), 0) == expected, (year, journal)
    assert sum(got.values()) == 21096


def test_wos_citation_summary(loaded):
    db, _ = loaded
    with connect(db) as con:
        row = query(
            con,
            "SELECT median(value) AS median, avg(value) AS mean, min(value) AS lo, "
            "max(value) AS hi, count(*) AS n FROM observation "
            "WHERE source = 'plos_alm' AND metric = 'citations_wos'",
        ).row(0, named=True)
    assert row["n"] == 24331
    assert row["median"] == 6
    assert round(row["mean"], 5) == 13.51087
    assert (row["lo"], row["hi"]) == (0, 737)


def test_mean_backtweets_and_comments_of_research_articles(loaded):
    db, _ = loaded
    with connect(db) as con:
        keys = query(con, "SELECT key FROM work WHERE type = 'Research Article'")["key"]
        wide = works_wide(con, keys.to_list())
    means = wide.group_by("journal").agg(pl.col("x_posts").mean())
    for journal, mean in means.iter_rows():
        assert round(mean, 8) == pytest.approx(MEAN_BACKTWEETS[journal], abs=1e-8)
    assert round(wide["comments"].mean(), 7) == 0.2642681
    pone_2007 = wide.filter(pl.col("journal") == "PLoS ONE", pl.col("year") == 2007)["comments"]
    assert (pone_2007.len(), round(pone_2007.mean(), 7)) == (1229, 0.8315704)


def test_missing_stays_missing(loaded):
    db, _ = loaded
    with connect(db) as con:
        row = query(
            con,
            "SELECT count(*) FILTER (WHERE pmid IS NULL) AS no_pmid, "
            "count(*) FILTER (WHERE doi <> lower(doi)) AS upper FROM work",
        ).row(0, named=True)
        nulls = query(con, "SELECT count(*) AS n FROM observation WHERE value IS NULL")
    assert row == {"no_pmid": 1433, "upper": 0}
    assert nulls["n"][0] == 0


def test_one_named_collection_and_na_stays_null(tmp_path: Path):
    first = {"doi": "10.1371/journal.PONE.0000001", "pubDate": "2007-01-02", "journal": "pone"}
    first |= {"title": "A", "articleType": "Research Article", "authorsCount": "3"}
    first |= {"f1000Factor": "8", "backtweetsCount": "1", "pmid": "NA"}
    first |= {"plosSubjectTags": "Biology|Medicine", "facebookShareCount": "NA"}
    first |= {"pdfDownloadsCount": "10", "xmlDownloadsCount": "1", "htmlDownloadsCount": "100"}
    first |= {"year": "2007", "wosCountThru2011": "3"}
    second = {"doi": "10.1371/journal.pbio.0000002", "pubDate": "2008-03-04", "journal": "pbio"}
    second |= {"title": "B", "articleType": "Synopsis", "authorsCount": "NA", "f1000Factor": "0"}
    second |= {"backtweetsCount": "0", "pmid": "12345678", "plosSubjectTags": "Biology"}
    second |= {"facebookShareCount": "5", "pdfDownloadsCount": "0", "xmlDownloadsCount": "0"}
    second |= {"htmlDownloadsCount": "40", "year": "2008", "wosCountThru2011": "0"}
    rows = [
        {c: row.get(c, "0") for c in ("plosSubSubjectTags", *PLOS_COLUMNS)} | row
        for row in (first, second)
    ]
    path = tmp_path / "tiny.txt"
    pl.DataFrame(rows).write_csv(path, separator="\t")
    with connect(tmp_path / "c.duckdb") as con:
        counts = load_plos_alm(con, path, collection="tiny")
        wide = works_wide(con, ["10.1371/journal.pone.0000001", "10.1371/journal.pbio.0000002"])
        names = list_collections(con)["name"].to_list()
    assert counts["collections"] == 1 and names == ["tiny"]
    assert counts["missing_values"] == 1
    one, two = wide.rows(named=True)
    assert one["facebook_mentions"] is None  # NA in the file: missing, not 0
    assert (one["downloads"], one["views"], one["peer_review_mentions"]) == (11, 100, 1)
    assert (one["pmid"], two["pmid"]) == (None, "12345678")
    assert (two["facebook_mentions"], two["peer_review_mentions"]) == (5, 0)
    assert two["journal"] == "PLoS Biology"
