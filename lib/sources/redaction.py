"""Keys never leave the process in clear text: every spelling of a secret is redacted from
request descriptions, messages, stored bodies and the HTTP libraries' log records."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, quote_plus

from lib.settings import Settings

REDACTED = "***"
_KEY_PARAM = re.compile(r"(?i)\b((?:api_?key|key|token|access_token)=)[^&\s\"'#]+")


def redact(text: str | None, settings: Settings) -> str:
    """The text with every configured secret and every key-like query value replaced."""
    if not text:
        return text or ""
    return _KEY_PARAM.sub(rf"\1{REDACTED}", _without_secrets(text, settings.secret_values()))


class RedactingFilter(logging.Filter):
    """Rewrites every record of the HTTP libraries' loggers with keys redacted.

    httpx logs each request's full URL at INFO ("HTTP Request: GET ...?api_key=..."), and the
    OpenAlex and Altmetric keys travel in the query string; so whoever turns logging up must
    still never see a key. Installed on those loggers by `Transport`; knows every secret of
    every Transport opened in this process.
    """

    def __init__(self) -> None:
        super().__init__("triangulate-redact")
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        record.msg, record.args = _KEY_PARAM.sub(rf"\1{REDACTED}", text), ()
        return True


HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "hpack",
    "triangulate.http",
)
_FILTER = RedactingFilter()


def guard_http_logs(settings: Settings) -> None:
    """Make every HTTP library logger redact this configuration's secrets (idempotent)."""
    _FILTER.secrets.update(settings.secret_values())
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def redact_secrets(text: str | None, settings: Settings) -> str | None:
    """Only the configured secrets replaced (for response bodies, whose `key=` text is data)."""
    if not text:
        return text
    return _without_secrets(text, settings.secret_values())


def secret_spellings(secret: str) -> set[str]:
    """Every way a key can appear in text that went through a URL or a form.

    A server that echoes the request URL (401/403 bodies do) shows the key as it was sent, so a key
    holding `+`, `/` or `=` appears percent-encoded (`%2B`, `%2F`, `%3D`, in either hex case) or
    form-encoded (`+` for a space), or half-encoded as httpx leaves `/` alone in a query.
    """
    spellings = {secret}
    for safe in ("", "/", "/=", ":/?=&"):
        spellings.add(quote(secret, safe=safe))
        spellings.add(quote_plus(secret, safe=safe))
    spellings.add(quote(quote(secret, safe=""), safe=""))  # encoded twice (a URL inside a URL)
    return {s for s in spellings if s}


def _without_secrets(text: str, secrets: list[str]) -> str:
    spellings = {s for secret in secrets if secret for s in secret_spellings(secret)}
    for spelling in sorted(spellings, key=len, reverse=True):
        if "%" in spelling:  # percent escapes are case-insensitive: %2b is %2B
            text = re.sub(re.escape(spelling), REDACTED, text, flags=re.IGNORECASE)
        else:
            text = text.replace(spelling, REDACTED)
    return text
