"""Export a checklist as Markdown, CSV (one row per item) or a printable PDF with tick boxes."""

from __future__ import annotations

import csv
import io

from fpdf import FPDF

from onestop.checklists import Checklist, Item
from onestop.text import long_date

CSV_COLUMNS = ("phase", "item", "why", "sources", "done_by", "done_on")
FORMATS = ("md", "csv", "pdf")


def to_markdown(checklist: Checklist) -> str:
    """A Markdown checklist with GitHub-style tick boxes, grouped by phase."""
    lines = [f"# {checklist.title}", "", f"Generated on {long_date(checklist.generated)} by onestop.", "", f"> {checklist.notice}", ""]
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
    """A printable A4 PDF with real text and a tick box by every item."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(checklist.title))
    pdf.set_creator("onestop")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(width, 8, _latin1(checklist.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    pdf.multi_cell(width, 5, _latin1(f"Generated on {long_date(checklist.generated)} by onestop. {checklist.notice}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("helvetica", "B", 11)
    pdf.cell(width, 7, "Your answers", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 9)
    for question, answer in checklist.answers:
        pdf.multi_cell(width, 5, _latin1(f"{question} {answer}"), new_x="LMARGIN", new_y="NEXT")
    for phase, items in checklist.groups:
        pdf.ln(3)
        pdf.set_font("helvetica", "B", 12)
        pdf.cell(width, 8, _latin1(phase), new_x="LMARGIN", new_y="NEXT")
        for item in items:
            _pdf_item(pdf, item, width)
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


def _pdf_item(pdf: FPDF, item: Item, width: float) -> None:
    if pdf.will_page_break(18):
        pdf.add_page()
    box = 4
    top = pdf.get_y() + 1
    pdf.rect(pdf.l_margin, top, box, box)
    pdf.set_x(pdf.l_margin + box + 3)
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(width - box - 3, 5.5, _latin1(item.text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 8)
    indent = pdf.l_margin + box + 3
    if item.why:
        pdf.set_x(indent)
        pdf.multi_cell(width - box - 3, 4, _latin1(f"Why: {item.why}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(indent)
    pdf.multi_cell(width - box - 3, 4, _latin1(f"Sources: {_sources_text(item)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _sources_text(item: Item) -> str:
    return "; ".join(f"{ref.label()} ({ref.url})" for ref in item.cites)



_PUNCTUATION = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-", "\u00a0": " "})


def _latin1(text: str) -> str:
    """The PDF's built-in fonts cover Latin-1 (including £); map other punctuation to plain forms."""
    return text.translate(_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
