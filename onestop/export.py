"""Exports: a checklist as Markdown, CSV (one row per item) or a printable PDF with tick boxes,
and an Ask conversation, with its cited sources, as Markdown or PDF."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fpdf import FPDF

from onestop.checklists import Checklist, Item, Reference
from onestop.text import NOT_LEGAL_ADVICE, long_date

if TYPE_CHECKING:  # answering loads the model stack; exporting a checklist must not
    from onestop.answer import Answer, Citation

# A question as the user typed it and the answer onestop gave.
Turn = tuple[str, "Answer"]

CSV_COLUMNS = ("phase", "item", "why", "sources", "done_by", "done_on")
FORMATS = ("md", "csv", "pdf")


def to_markdown(checklist: Checklist) -> str:
    """A Markdown checklist with GitHub-style tick boxes, grouped by phase."""
    lines = [
        f"# {checklist.title}",
        "",
        f"Generated on {long_date(checklist.generated)} by onestop.",
        "",
        f"> {checklist.notice}",
        "",
    ]
    lines += ["## Your answers", ""] + [f"- {question} **{answer}**" for question, answer in checklist.answers] + [""]
    for phase, items in checklist.groups:
        lines += [f"## {phase}", ""]
        for item in items:
            lines.append(f"- [ ] {item.text}")
            if item.why:
                lines.append(f"  - Why: {item.why}")
            lines.append("  - Sources: " + "; ".join(f"[{ref.label()}]({ref.url})" for ref in item.cites))
        lines.append("")
    return "\n".join(lines)


def to_csv(checklist: Checklist) -> str:
    """CSV with one row per item, ready for a spreadsheet (done_by and done_on left blank)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for phase, items in checklist.groups:
        for item in items:
            writer.writerow([phase, item.text, item.why, _sources_text(item), "", ""])
    return buffer.getvalue()


def to_pdf(checklist: Checklist) -> bytes:
    """A printable A4 PDF: tick boxes, short numbered references to one source list at the end."""
    pdf = _Document(checklist.title, checklist.generated)
    pdf.heading(checklist.title, 16)
    pdf.paragraph(f"Generated on {long_date(checklist.generated)} by onestop. {checklist.notice}", 9)
    pdf.ln(2)
    pdf.heading("Your answers", 11)
    for question, answer in checklist.answers:
        pdf.paragraph(f"{question} {answer}", 9)
    sources = _numbered_sources(checklist.items)
    for phase, items in checklist.groups:
        for number, item in enumerate(items):
            references = "Sources: " + " ".join(f"[{sources[ref]}]" for ref in item.cites)
            with pdf.unbreakable() as page:  # an item stays on one page, and a phase's heading with its first item
                if number == 0:
                    page.ln(3)
                    page.heading(phase, 12)
                page.item(item.text, item.why, references)
    pdf.ln(3)
    pdf.keep_space(25)
    pdf.heading("Sources", 12)
    for ref, n in sources.items():
        with pdf.unbreakable() as page:
            page.source(n, ref.label(), ref.url)
    return bytes(pdf.output())


def render(checklist: Checklist, fmt: str) -> bytes:
    """The checklist in one of FORMATS, as bytes ready to write or download."""
    if fmt == "md":
        return to_markdown(checklist).encode("utf-8")
    if fmt == "csv":
        return to_csv(checklist).encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (£ signs) correctly
    if fmt == "pdf":
        return to_pdf(checklist)
    raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _numbered_sources(items: Sequence[Item]) -> dict[Reference, int]:
    """Every source the items cite, once, numbered in order of first citation."""
    numbers: dict[Reference, int] = {}
    for item in items:
        for ref in item.cites:
            numbers.setdefault(ref, len(numbers) + 1)
    return numbers


def _sources_text(item: Item) -> str:
    return "; ".join(f"{ref.label()} ({ref.url})" for ref in item.cites)


def conversation_to_markdown(turns: Sequence[Turn], today: dt.date) -> str:
    """The conversation as Markdown: each question, its answer and numbered sources, the date and the notice."""
    lines = ["# Your conversation with onestop", "", f"Saved on {long_date(today)}.", "", f"> {NOT_LEGAL_ADVICE}", ""]
    for number, (question, answer) in enumerate(turns, start=1):
        lines += [f"## Question {number}", "", f"> {' '.join(question.split())}", "", answer.text, ""]
        lines += [f"> Note: {notice}" for notice in answer.notices] + ([""] if answer.notices else [])
        if answer.citations:
            lines += ["### Sources", ""]
            lines += [line for c in answer.citations for line in (f"[{c.n}] {_citation_text(c)}  \n<{c.chunk.url}>", "")]
    return "\n".join(lines)


def conversation_to_pdf(turns: Sequence[Turn], today: dt.date) -> bytes:
    """The conversation as a printable A4 PDF: each question, its answer and numbered sources, the date and the notice."""
    pdf = _Document("Your conversation with onestop", today)
    pdf.heading("Your conversation with onestop", 16)
    pdf.paragraph(f"Saved on {long_date(today)}. {NOT_LEGAL_ADVICE}", 9)
    for number, (question, answer) in enumerate(turns, start=1):
        pdf.ln(3)
        pdf.keep_space(35)
        pdf.heading(f"Question {number}", 12)
        pdf.paragraph(" ".join(question.split()), 10, style="I")
        pdf.ln(1)
        pdf.paragraph(answer.text, 10, bold_markers=True)
        for notice in answer.notices:
            pdf.paragraph(f"Note: {notice}", 9, style="I")
        if answer.citations:
            pdf.ln(1)
            pdf.keep_space(22)
            pdf.heading("Sources", 10)
            for citation in answer.citations:
                with pdf.unbreakable() as page:
                    page.source(citation.n, _citation_text(citation), citation.chunk.url)
    return bytes(pdf.output())


def _citation_text(citation: Citation) -> str:
    """'Title, section, page 2. Publisher. Last reviewed 30 November 2026.'"""
    chunk = citation.chunk
    page = f", page {chunk.page}" if chunk.page else ""
    publisher = f" {chunk.publisher}." if chunk.publisher else ""
    return f"{chunk.title}, {chunk.section}{page}.{publisher} Last reviewed {long_date(chunk.last_reviewed)}."


class _Document(FPDF):
    """An A4 document in onestop's plain style, with the date and 'page N of M' in every footer."""

    def __init__(self, title: str, generated: dt.date) -> None:
        super().__init__(format="A4")
        self.generated = generated
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(_latin1(title))
        self.set_creator("onestop")
        self.add_page()

    def footer(self) -> None:
        """Generation date on the left, page number on the right."""
        self.set_y(-13)
        self.set_font("helvetica", "", 8)
        self.cell(self.epw / 2, 5, f"Generated on {long_date(self.generated)} by onestop", align="L")
        self.cell(self.epw / 2, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: float) -> None:
        """A bold, left-aligned heading."""
        self.set_font("helvetica", "B", size)
        self.multi_cell(self.epw, size * 0.6, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def keep_space(self, height: float) -> None:
        """Start a new page unless `height` mm are left on this one (so a heading is never alone at its foot)."""
        if self.will_page_break(height):
            self.add_page()

    def paragraph(self, text: str, size: float, style: str = "", bold_markers: bool = False) -> None:
        """Left-aligned text; its line breaks are kept, and with bold_markers its **bold** parts are bold."""
        self.set_font("helvetica", style, size)
        for marker in ("__", "~~", "--") if bold_markers else ():  # fpdf2 reads these as markers too: print them as written
            text = text.replace(marker, "\\" + marker)
        self.multi_cell(self.epw, size * 0.5, _latin1(text), align="L", markdown=bold_markers, new_x="LMARGIN", new_y="NEXT")

    def item(self, text: str, why: str, references: str) -> None:
        """A tick box and an action, then its reason, its source numbers and a 'Done by / Date' line to fill in."""
        box, gap = 4, 3
        indent = self.l_margin + box + gap
        # self.x and self.y, not get_x() and get_y(): this is drawn inside unbreakable(), which replays the whole call
        self.rect(self.l_margin, self.y + 1, box, box)
        self.set_x(indent)
        self.set_font("helvetica", "", 10)
        self.multi_cell(self.epw - box - gap, 5.5, _latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_font("helvetica", "", 8.5)
        if why:
            self.set_x(indent)
            self.multi_cell(self.epw - box - gap, 4.2, _latin1(f"Why: {why}"), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_x(indent)
        self.cell(62, 7, references)
        baseline = self.y + 5.5
        for label, length in (("Done by", 50), ("Date", 30)):  # the CSV's done_by and done_on
            self.cell(self.get_string_width(label) + 1.5, 7, label)
            self.line(self.x, baseline, self.x + length, baseline)
            self.set_x(self.x + length + 6)
        self.ln(9)

    def source(self, n: int, label: str, url: str) -> None:
        """One numbered source: '[n] label', with its link below as a clickable address."""
        number_width = 9
        self.set_font("helvetica", "", 9)
        self.cell(number_width, 4.5, f"[{n}]")
        self.multi_cell(self.epw - number_width, 4.5, _latin1(label), align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_x(self.l_margin + number_width)
        self.set_text_color(0, 51, 153)
        self.multi_cell(self.epw - number_width, 4.5, _latin1(url), align="L", link=url, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.ln(1)


_PUNCTUATION = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-", "\u00a0": " "})


def _latin1(text: str) -> str:
    """The PDF's built-in fonts cover Latin-1 (including £); map other punctuation to plain forms."""
    return text.translate(_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
