"""Character tables and regular expressions shared by the scalar and the Polars identifier parsers.

Every pattern here is written in the common subset of Python `re` and Rust `regex` (no lookaround,
no backreferences, no `(?i)`, no `\\d`/`\\s`/`\\w`), so `lib.ids` and `lib.ids.expressions` run the same
text through the same steps and cannot drift apart.
"""

from __future__ import annotations

import re

MAX_INPUT_CHARS = 2000  # the longest real input seen is a mail-safelink around a DOI (~600 chars)

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
SPACES = (
    "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
CHAR_MAP: dict[str, str] = (
    dict.fromkeys(ZERO_WIDTH, "") | dict.fromkeys(DASHES, "-") | dict.fromkeys(SPACES, " ")
)

QUOTES = "\"'`´‘’‚‛“”„‟«»‹›"
LEAD_JUNK = " " + QUOTES + "([{<=*•·,;:."
TRAIL_JUNK = " " + QUOTES + ".,;:*/"
BRACKET_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"))
CLOSERS = "".join(closer for _, closer in BRACKET_PAIRS)
TAIL_CHARS = TRAIL_JUNK + CLOSERS

# Only the named entities that turn up around identifiers, plus every printable-ASCII numeric one.
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'", "nbsp": " "}
_PRINTABLE = range(0x20, 0x7F)
ENTITY_MAP: dict[str, str] = (
    {f"&{name};": char for name, char in _NAMED_ENTITIES.items()}
    | {f"&#{code};": chr(code) for code in _PRINTABLE}
    | {f"&#x{code:x};": chr(code) for code in _PRINTABLE}
)
PERCENT_MAP: dict[str, str] = {f"%{code:02x}": chr(code) for code in _PRINTABLE}
ENCODED_KEYS: tuple[str, ...] = (*ENTITY_MAP, *PERCENT_MAP)


def char_class(chars: str) -> str:
    """A regex character class matching exactly `chars` in both Python and Rust."""
    return "[" + "".join("\\" + c if c in "\\[]^-&~" else c for c in chars) + "]"


def nocase(word: str) -> str:
    """`word` with each ASCII letter matched in either case (Rust and Python agree on this)."""
    return "".join(
        f"[{c.upper()}{c.lower()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in word
    )


TAIL = char_class(TAIL_CHARS) + "*$"
SCHEME = f"(?:{nocase('http')}[Ss]?://)?"
WWW = f"(?:{nocase('www')}\\.)?"
_SEP = " *[:#=-]? *"

PREFIX = (
    f"^(?:{nocase('mailto')}:|(?:AID|LID|DO|UR|L2|DI|PM|AN) *- +|(?:DI|PM) +|{nocase('url')}: *)"
)

DOI_CORE = "10\\.[0-9]{4,9}(?:\\.[0-9]+)*/[^ ]+"
_DOI_LABEL = f"(?:{nocase('doi')} *[:=]? *|{nocase('info:doi')}/|{nocase('urn:doi')}:)"
_DOI_HOST = (
    f"(?:(?:{nocase('www')}\\.|{nocase('dx')}\\.)?{nocase('doi.org')}"
    f"|{nocase('hdl.handle.net')})/(?:{nocase('doi')}:)?"
)
DOI = f"^{_DOI_LABEL}?(?:{SCHEME}{_DOI_HOST})?({DOI_CORE})(?: *\\[{nocase('doi')}\\])?{TAIL}"
DOI_LANDING = (
    f"^{SCHEME}[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+(?::[0-9]+)?/(?:[^ ]*?[/=])?"
    "(10\\.[0-9]{4,9}(?:\\.[0-9]+)*/[^ ?#&]+)(?:[?#&][^ ]*)?$"
)
_SLASH_VIEWS = (
    "abstract|full|fulltext|pdf|epdf|pdfdirect|html|summary|references|citedby|figures|suppl"
)
_DOT_VIEWS = "full|full-text|abstract|pdf|supplementary-material|article-info|article-metrics"
LANDING_VIEW_SUFFIX = f"(?:/(?:{_SLASH_VIEWS})|\\.(?:{_DOT_VIEWS}))+{TAIL}"
BIORXIV_VERSION = "^(10\\.1101/[^ ]*[0-9])v[0-9]+$"
DOI_LIKE = f"^(?:{_DOI_LABEL}|{SCHEME}{_DOI_HOST})?10\\."

_PMID_LABEL = f"(?:{nocase('pmid')}|{nocase('pubmed')}(?: *{nocase('id')})?){_SEP}"
_PMID_URL = (
    f"{SCHEME}{WWW}(?:{nocase('pubmed.ncbi.nlm.nih.gov')}/"
    f"|{nocase('ncbi.nlm.nih.gov/pubmed')}/(?:\\?{nocase('term')}=)?"
    f"|{nocase('europepmc.org')}/(?:{nocase('abstract')}|{nocase('article')})/{nocase('med')}/)"
)
PMID = f"^(?:{_PMID_LABEL}|{_PMID_URL})?([0-9]{{1,8}})(?:\\.0)?(?:/?[?#][^ ]*)?{TAIL}"

_PMCID_LABEL = f"{nocase('pmc')}(?:{nocase('id')})?{_SEP}(?:{nocase('pmc')} *)?"
_PMCID_URL = (
    f"{SCHEME}{WWW}(?:{nocase('ncbi.nlm.nih.gov/pmc/articles')}/"
    f"|{nocase('pmc.ncbi.nlm.nih.gov/articles')}/"
    f"|{nocase('europepmc.org')}/(?:{nocase('articles')}/|(?:{nocase('article')}|{nocase('abstract')})/{nocase('pmc')}/))"
    f"(?:{nocase('pmc')})?"
)
PMCID = f"^(?:{_PMCID_LABEL}|{_PMCID_URL})([0-9]{{1,9}})(?:/?[?#][^ ]*)?{TAIL}"

_ORCID_LABEL = f"{nocase('orcid')}(?: *{nocase('id')})?{_SEP}"
_ORCID_URL = f"{SCHEME}{WWW}{nocase('orcid.org')}/"
ORCID = (
    f"^(?:{_ORCID_LABEL})?(?:{_ORCID_URL})?"
    "([0-9]{4})[ -]?([0-9]{4})[ -]?([0-9]{4})[ -]?([0-9]{3}[0-9Xx])(?:/?[?#][^ ]*)?" + TAIL
)

ARXIV_ARCHIVES = (
    "astro-ph|cond-mat|gr-qc|hep-ex|hep-lat|hep-ph|hep-th|math-ph|nlin|nucl-ex|nucl-th|physics"
    "|quant-ph|math|cs|q-bio|q-fin|stat|acc-phys|adap-org|alg-geom|ao-sci|atom-ph|bayes-an"
    "|chao-dyn|chem-ph|cmp-lg|comp-gas|dg-ga|funct-an|mtrl-th|patt-sol|plasm-ph|q-alg|solv-int"
    "|supr-con"
)
_MONTH = "(?:0[1-9]|1[0-2])"
# Four-digit sequence numbers until 2014, five from 2015 on.
_ARXIV_NEW = f"(?:0[7-9]|1[0-4]){_MONTH}\\.[0-9]{{4}}|(?:1[5-9]|[2-9][0-9]){_MONTH}\\.[0-9]{{5}}"
_ARXIV_OLD = f"(?:{ARXIV_ARCHIVES})(?:\\.[A-Za-z-]{{2,}})?/[0-9]{{2}}{_MONTH}[0-9]{{3}}"
_ARXIV_PREFIX = (
    f"(?:{nocase('arxiv')} *[:.]? *"
    f"|{SCHEME}(?:{nocase('www')}\\.|{nocase('export')}\\.)?{nocase('arxiv.org')}"
    f"/(?:{nocase('abs')}|{nocase('pdf')}|{nocase('html')})/)"
)
ARXIV = f"^{_ARXIV_PREFIX}?({_ARXIV_NEW}|{_ARXIV_OLD})(v[0-9]+)?(?:\\.pdf)?{TAIL}"

_OPENALEX_PREFIX = (
    f"(?:{nocase('openalex')} *:? *"
    f"|{SCHEME}(?:{nocase('api')}\\.)?{nocase('openalex.org')}/(?:{nocase('works')}/)?)"
)
OPENALEX = f"^{_OPENALEX_PREFIX}?[Ww]([1-9][0-9]{{0,11}}){TAIL}"

DIGITS_ONLY = "^[0-9]+(?:\\.0)?$"

GENERIC_REASON = "not a DOI, PMID, PMCID, arXiv or OpenAlex id"
REASONS = {
    "empty": "empty",
    "too_long": f"longer than {MAX_INPUT_CHARS} characters, too long to be an identifier",
    "double_encoded": "still HTML- or %-encoded after decoding once (encoded twice?)",
    "orcid_checksum": "ORCID checksum fails",
    "digits": "a bare number is a PMID only with 1-8 digits and not zero",
    "doi": "looks like a DOI but is not 10.<4-9 digit registrant>/<suffix>",
    "generic": GENERIC_REASON,
}
