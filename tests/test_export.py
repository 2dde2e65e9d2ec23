"""Exports: Markdown groups, CSV rows, and a real PDF whose text holds every item."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from onestop.checklists import build, load_definition
from onestop.export import CSV_COLUMNS, render, to_csv, to_markdown, to_pdf

CORPUS = Path(__file__).parents[1] / "corpus"
# The "done when" scenario of the checklists issue.
SCENARIO = {
    "absence_weeks": 5,
    "fit_note": "May be fit for work",
    "fit_note_advice": ["Phased return to work"],
    "condition_type": "Mental health",
    "has_oh": False,
    "org_size": "1 to 49 staff",
}


@pytest.fixture(scope="module")
def checklist():
    return build(load_definition(CORPUS, "return-to-work"), SCENARIO, today=dt.date(2026, 11, 30))


def squash(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def test_markdown_has_answers_groups_boxes_and_citations(checklist) -> None:
    text = to_markdown(checklist)
    assert "Generated on 30 November 2026" in text and "not legal advice" in text
    assert "- How many weeks has the employee been off so far? **5**" in text
    for phase, items in checklist.groups:
        assert f"\n## {phase}\n" in text
        for item in items:
            assert f"- [ ] {item.text}" in text
    assert text.count("  - Sources: [") == len(checklist.items)


def test_csv_has_one_row_per_item_with_sources(checklist) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(checklist))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == len(checklist.items)
    assert all(row["sources"].count("https://") >= 1 and row["done_by"] == "" for row in rows)
    assert render(checklist, "csv").startswith(b"\xef\xbb\xbf")  # Excel-friendly UTF-8


def test_pdf_is_real_text_containing_every_item(checklist) -> None:
    reader = PdfReader(io.BytesIO(to_pdf(checklist)))
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert "Sickness absence and return to work" in text
    for item in checklist.items:
        assert squash(item.text.replace("\u2019", "'"))[:60] in text, item.id
    assert "not legal advice" in text


def test_every_item_in_the_scenario_cites_onestop_guidance(checklist) -> None:
    assert len(checklist.items) >= 10
    assert all(item.cites for item in checklist.items)
    assert {"phased-return-plan", "mental-health-support-service"} <= {i.id for i in checklist.items}
