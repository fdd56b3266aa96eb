"""Which ids a request to the mock API asks for, read the way each real API reads them."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

_FILTER_ID = re.compile(r"^(doi|pmid|ids\.pmid|pmcid|ids\.pmcid|openalex|ids\.openalex):(.*)$")


def strip_doi(value: str) -> str:
    value = unquote(value.strip().strip('"'))
    return re.sub(r"(?i)^(https?://(dx\.)?doi\.org/|doi:)", "", value)


def _strip_pmid(value: str) -> str:
    return re.sub(r"(?i)^(https?://pubmed\.ncbi\.nlm\.nih\.gov/|pmid:)", "", value.strip()).strip(
        "/"
    )


def ids_openalex(query: dict[str, list[str]]) -> list[tuple[str, str]]:
    out = []
    for clause in ",".join(query.get("filter", [])).split(","):
        match = _FILTER_ID.match(clause.strip())
        if not match:
            continue
        kind = "doi" if match[1] == "doi" else "pmid" if "pmid" in match[1] else None
        for value in match[2].split("|"):
            if kind == "doi":
                out.append(("doi", strip_doi(value).lower()))
            elif kind == "pmid":
                out.append(("pmid", _strip_pmid(value)))
    return out


def ids_europepmc(text: str) -> list[tuple[str, str]]:
    out = [("doi", d.lower()) for d in re.findall(r'DOI:"?([^"\s)]+)"?', text)]
    out += [("pmid", p) for p in re.findall(r"(?:EXT_ID|PMID):\"?(\d+)", text)]
    return out


def ids_s2(body: Any) -> list[tuple[str, str] | None]:
    out: list[tuple[str, str] | None] = []
    for raw in (body or {}).get("ids", []):
        text = str(raw)
        if text.upper().startswith("PMID:"):
            out.append(("pmid", text[5:]))
        elif text.upper().startswith("DOI:"):
            out.append(("doi", text[4:].lower()))
        elif text.startswith("10."):
            out.append(("doi", text.lower()))
        else:
            out.append(None)
    return out
