"""Text from files and APIs as Streamlit Markdown shows it: as written, never as Markdown. Pure,
so page models (the Portfolio narrative) and the widgets in lib.ui escape the same way."""

from __future__ import annotations

import re

# What Markdown, GitHub autolinks or Streamlit's directives (`:red[...]`, `:material/...:`,
# `$math$`) act on; CommonMark lets each be escaped with a backslash. Other punctuation is left as
# written so ordinary titles read (and compare) as they are.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]()<>!#:$~|&=])")
_AUTOLINK_START = re.compile(r"(?i)[a-z][a-z0-9+.-]*\\?://")
_AUTOLINK_DOT = re.compile(r"(?i)(www)\.")  # "www.evil.example" becomes a link by itself
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+])")  # "1. " or "- " would start a list


def plain(text: object) -> str:
    """Text from a file or an API, escaped so Streamlit shows it as written, never as Markdown.

    A title like `[Session expired](https://evil.example) ![x](https://evil.example/t.png)` must
    not become a link and an image every viewer's browser requests. Newlines become spaces so a
    title cannot start a heading or a list.
    """
    if text is None:
        return ""
    flat = re.sub(r"\s+", " ", str(text)).strip()
    flat = _AUTOLINK_DOT.sub(r"\1\\.", _MARKDOWN_ACTIVE.sub(r"\\\1", flat))
    # GitHub autolinks ("https://...", "www.", "a@b.org") are found after escapes are read,
    # so a word joiner (invisible, U+2060) breaks each: the text reads the same, links nothing.
    flat = _AUTOLINK_START.sub(lambda m: m[0][:-2] + "\u2060" + m[0][-2:], flat)
    flat = flat.replace("@", "@\u2060").replace("www\\.", "www\u2060\\.")
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", flat)
