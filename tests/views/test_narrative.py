"""The narrative as prose: titles in bold, and shown as written."""

from lib.views.narrative import narrative_markdown

TEXT = "60 works in this collection.\n\nA trial [fictional] (2025):\nIn the top 10% of attention."


def test_the_title_stays_bold_and_shows_as_written():
    # The escape turns ":" into "\:"; the bold must still close (a "\**" printed literal
    # asterisks around every title in Chromium).
    shown = narrative_markdown(TEXT)
    assert shown.split("\n\n")[1].startswith("**A trial \\[fictional\\] \\(2025\\)**: In the top")
    assert "\\**" not in shown
