"""BibTeX via bibtexparser 2.x: doi, pmid, pmcid, eprint (arXiv), url; LaTeX escapes decoded."""

from __future__ import annotations

import bibtexparser
import polars as pl
from bibtexparser.middlewares import LatexDecodingMiddleware

from lib.readers.result import ReadResult, finish, year_expr

BIBTEX_FIELDS = (
    "key",
    "type",
    "title",
    "year",
    "journal",
    "author",
    "doi",
    "pmid",
    "pmcid",
    "eprint",
    "url",
)


def _record(entry: bibtexparser.model.Entry) -> dict[str, str | None]:
    fields = {f.key.lower(): str(f.value).strip() for f in entry.fields}
    fields["journal"] = fields.get("journal") or fields.get("booktitle")
    fields["author"] = (
        " and ".join(a.strip() for a in fields.get("author", "").split(" and ")) or None
    )
    fields.update(key=entry.key, type=entry.entry_type)
    return {name: (fields.get(name) or None) for name in BIBTEX_FIELDS}


def read_bibtex(text: str, **kwargs: object) -> ReadResult:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    records = pl.DataFrame(
        [_record(e) for e in library.entries],
        schema={f: pl.String for f in BIBTEX_FIELDS},
        orient="row",
    )
    warnings = []
    if library.failed_blocks:
        warnings.append(
            f"{len(library.failed_blocks):,} BibTeX blocks could not be parsed and were skipped."
        )
    frame = records.select(
        row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        extra=pl.struct(*BIBTEX_FIELDS),
        title=pl.col("title").str.replace_all(r"[{}]", ""),
        year=year_expr("year"),
        journal=pl.col("journal").str.replace_all(r"[{}]", ""),
        authors=pl.col("author").str.replace_all(r"[{}]", ""),
    )
    return finish(
        frame,
        "bibtex",
        ["doi", "pmid", "pmcid", "eprint", "url"],
        id_hints={"pmid": "pmid", "pmcid": "pmcid"},
        warnings=warnings,
        **kwargs,
    )
