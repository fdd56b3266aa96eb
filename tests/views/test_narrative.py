"""The narrative as prose: titles in bold, and shown as written."""

from lib.ui import plain
from lib.views.narrative import narrative_markdown

TEXT = "60 works in this collection.\n\nA trial [fictional] (2025):\nIn the top 10% of attention."


def test_the_page_escape_keeps_the_title_bold():
    # The page's escape turns ":" into "\:"; the bold must still close (a "\**" printed
    # literal asterisks around every title in Chromium).
    shown = narrative_markdown(TEXT, escape=plain)
    assert shown.split("\n\n")[1].startswith("**A trial \\[fictional\\] \\(2025\\)**: In the top")
    assert "\\**" not in shown


def test_the_default_escape_keeps_the_title_bold():
    assert narrative_markdown(TEXT).split("\n\n")[1].startswith("**A trial")
