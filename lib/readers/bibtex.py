"""BibTeX via bibtexparser 2.x: doi, pmid, pmcid, eprint (arXiv), url; LaTeX escapes decoded."""

from __future__ import annotations

import logging
import re

import bibtexparser
import polars as pl
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware
from bibtexparser.model import Block, DuplicateBlockKeyBlock

from lib.readers.result import ReadResult, finish, year_expr

# bibtexparser logs each failed block to stderr; they are reported as warnings (with line numbers)
# instead, so the CLI's one-line contract and the page are not interleaved with its log.
logging.getLogger("bibtexparser").setLevel(logging.ERROR)

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
    fields: dict[str, str | None] = {f.key.lower(): str(f.value).strip() for f in entry.fields}
    fields["journal"] = fields.get("journal") or fields.get("booktitle")
    fields["author"] = (
        " and ".join(a.strip() for a in (fields.get("author") or "").split(" and ")) or None
    )
    fields.update(key=entry.key, type=entry.entry_type)
    return {name: (fields.get(name) or None) for name in BIBTEX_FIELDS}


def _salvaged(raw: str) -> dict[str, str | None]:
    """The fields of a block bibtexparser could not parse, read as far as a pattern can."""
    head = re.match(r"\s*@(\w+)\s*[{(]\s*([^,\s]*)", raw)
    fields = {
        m.group(1).lower(): (m.group(2) or m.group(3) or "").strip()
        for m in re.finditer(r'(\w+)\s*=\s*(?:\{([^{}]*)\}|"([^"]*)")', raw)
    }
    fields["journal"] = fields.get("journal") or fields.get("booktitle") or ""
    if head:
        fields.update(type=head.group(1).lower(), key=head.group(2))
    return {name: (fields.get(name) or None) for name in BIBTEX_FIELDS}


def _parsed_alone(raw: str) -> dict[str, str | None]:
    """A block whose only fault is a repeated key parses fine on its own."""
    alone = _parse(raw)
    return _record(alone.entries[0]) if alone.entries else _salvaged(raw)


def _parse(text: str) -> Library:
    return bibtexparser.parse_string(  # type: ignore[attr-defined]
        text, append_middleware=[LatexDecodingMiddleware()]
    )


def _line(block: Block) -> int:
    return (block.start_line or 0) + 1


def _blocks(
    library: Library,
) -> tuple[list[tuple[int, dict[str, str | None]]], list[str]]:
    """(start line, record) for every entry, repeated keys and failed blocks included; warnings."""
    rows = [(_line(e), _record(e)) for e in library.entries]
    repeats, failures = [], []
    for block in library.failed_blocks:
        line = _line(block)
        raw = block.raw or ""
        if isinstance(block, DuplicateBlockKeyBlock):
            rows.append((line, _parsed_alone(raw)))
            previous = block.previous_block
            same = previous is not None and (previous.raw or "").strip() == raw.strip()
            first = f"line {_line(previous)}" if previous is not None else "an earlier entry"
            repeats.append(
                f"line {line}: key '{block.key}' repeats the entry at {first} "
                f"({'identical' if same else 'different content'}); both are kept"
            )
        else:
            rows.append((line, _salvaged(raw)))
            error = getattr(block, "error", None)
            why = f" ({type(error).__name__})" if error is not None else ""
            failures.append(
                f"line {line}: not valid BibTeX{why}; its fields were read as far as possible"
            )
    warnings = []
    if repeats:
        warnings.append(f"{len(repeats):,} entries repeat a citation key; every one is a row:")
        warnings += repeats
    if failures:
        warnings.append(f"{len(failures):,} BibTeX blocks could not be parsed:")
        warnings += failures
    return sorted(rows, key=lambda r: r[0]), warnings


def read_bibtex(text: str) -> ReadResult:
    library = _parse(text)
    rows, warnings = _blocks(library)
    records = pl.DataFrame(
        [record for _, record in rows],
        schema={f: pl.String for f in BIBTEX_FIELDS},
        orient="row",
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
    )
