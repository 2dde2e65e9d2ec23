"""Exports: Markdown groups, CSV rows, a real PDF whose text holds every item and lists each source once,
and a conversation with its cited sources as Markdown and PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from onestop.answer import Answer, Citation
from onestop.checklists import build, load_definition
from onestop.chunking import Chunk
from onestop.export import CSV_COLUMNS, conversation_to_markdown, conversation_to_pdf, render, to_csv, to_markdown, to_pdf
from onestop.text import NOT_LEGAL_ADVICE

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


def pdf_pages(data: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_cites_numbers_and_lists_each_source_once(checklist) -> None:
    pages = pdf_pages(to_pdf(checklist))
    text = " ".join(pages)
    sources = list(dict.fromkeys(ref for item in checklist.items for ref in item.cites))
    assert len(sources) < sum(len(item.cites) for item in checklist.items)  # shared sources: listed once all the same
    for item in checklist.items:
        numbers = " ".join(f"[{sources.index(ref) + 1}]" for ref in item.cites)
        assert f"Sources: {numbers}" in text, item.id
    listed = text[text.rindex("Sources [1] ") :]
    for n, ref in enumerate(sources, start=1):
        entry = re.escape(f"[{n}] {squash(ref.label())}") + r" https?://"  # its title, section and link
        assert len(re.findall(entry, listed)) == 1, ref.label()
    assert f"[{len(sources) + 1}]" not in listed
    no_spaces = "".join(text.split())  # a long address wraps onto a second line
    assert no_spaces.count("https://") + no_spaces.count("http://") == len(sources)  # each address once, in the list
    assert text.count("Done by Date") == len(checklist.items)  # a sign-off line under every item, as in the CSV


def test_pdf_footer_has_page_numbers_and_the_date(checklist) -> None:
    pages = pdf_pages(to_pdf(checklist))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "Generated on 30 November 2026 by onestop" in page


def _chunk(title: str, section: str, url: str, reviewed: str, page: int | None = None) -> Chunk:
    return Chunk(
        id=f"{title}-{section}",
        text="",
        source_file="guide.md",
        title=title,
        section=section,
        page=page,
        topics=("access-to-work",),
        last_reviewed=reviewed,
        url=url,
        publisher="GOV.UK",
    )


ACCESS = _chunk("Access to Work: what it is and who pays", "Who pays", "https://www.gov.uk/access-to-work", "2026-03-01")
SSP = _chunk("Statutory Sick Pay: rates", "How much SSP is", "https://www.gov.uk/statutory-sick-pay", "2025-10-15", page=2)
HELP = _chunk("Getting help", "Acas helpline", "https://www.acas.org.uk/contact", "2026-01-20")
TURNS = [
    (
        "Who pays for Access to Work?",
        Answer(
            "Who pays for Access to Work?",
            "Access to Work pays for support beyond your own adjustments, such as a support worker. [1]\n\n"
            "**What to do next:**\n- Check the employer’s share -- it depends on your size [1]\n- Pay SSP of £123.25 a week [2]",
            False,
            (Citation(1, ACCESS, "Access to Work pays for support.", 0.8), Citation(2, SSP, "SSP is £123.25.", 0.7)),
            notices=("Source [2] describes rules that applied until 5 April 2026.",),
        ),
    ),
    (
        "What is the best pizza topping?",
        Answer(
            "What is the best pizza topping?",
            "onestop's guidance does not cover this question, so it will not guess. These services can help.\n\n"
            "Acas gives free advice to employers. [1]",
            True,
            (Citation(1, HELP, "Acas gives free advice.", 0.6),),
        ),
    ),
]
TODAY = dt.date(2026, 11, 30)


def test_conversation_pdf_holds_every_question_answer_and_source() -> None:
    data = conversation_to_pdf(TURNS, TODAY)
    reader = PdfReader(io.BytesIO(data))
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert "30 November 2026" in text and squash(NOT_LEGAL_ADVICE) in text
    for question, answer in TURNS:
        assert question in text
        for sentence in (
            "Access to Work pays for support beyond your own adjustments",
            "What to do next:",
            "Check the employer's share -- it depends on your size [1]",
            "Pay SSP of £123.25 a week [2]",
            "so it will not guess",
            "Acas gives free advice to employers. [1]",
        ):
            assert sentence in text
        for citation in answer.citations:
            assert citation.chunk.title in text and citation.chunk.section in text
            assert f"Last reviewed {dt.date.fromisoformat(citation.chunk.last_reviewed).day}" in text
    assert "**" not in text  # the answer's bold is bold type, not asterisks
    assert "page 2" in text and "Source [2] describes rules that applied until 5 April 2026." in text
    links = {a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])}
    assert links == {ACCESS.url, SSP.url, HELP.url}


def test_conversation_markdown_has_every_link_the_date_and_the_notice() -> None:
    text = conversation_to_markdown(TURNS, TODAY)
    assert "Saved on 30 November 2026." in text and NOT_LEGAL_ADVICE in text
    assert text.count("## Question ") == 2 and "> Who pays for Access to Work?" in text
    for _, answer in TURNS:
        assert answer.text in text
        for citation in answer.citations:
            assert f"<{citation.chunk.url}>" in text
            assert f"[{citation.n}] {citation.chunk.title}, {citation.chunk.section}" in text
    assert "Last reviewed 15 October 2025." in text
