"""Chunking: sections from headings, page numbers from PDFs, stable ids, dated sections."""

from __future__ import annotations

from pathlib import Path

from onestop.chunking import chunk_document, join_chunks
from onestop.corpus import load_document


def test_markdown_chunks_carry_their_section_path(corpus_dir: Path) -> None:
    chunks = chunk_document(load_document(corpus_dir / "fit-notes.md", corpus_dir))
    sections = [c.section for c in chunks]
    assert "Who can issue a fit note" in sections
    assert "May be fit for work > Returning early" in sections
    assert all(c.source_file == "fit-notes.md" and c.page is None for c in chunks)
    assert all(c.title == "Fit notes explained" for c in chunks)


def test_link_only_sections_are_not_indexed(corpus_dir: Path) -> None:
    chunks = chunk_document(load_document(corpus_dir / "access-to-work.md", corpus_dir))
    assert "Where to find out more" not in {c.section for c in chunks}


def test_pdf_chunks_keep_one_based_page_numbers(corpus_dir: Path) -> None:
    chunks = chunk_document(load_document(corpus_dir / "oh-guide.pdf", corpus_dir))
    assert {c.page for c in chunks} == {1, 2}
    assert any("consent" in c.text and c.page == 2 for c in chunks)


def test_ids_are_stable_and_change_with_content(corpus_dir: Path) -> None:
    path = corpus_dir / "statutory-sick-pay.md"
    first = [c.id for c in chunk_document(load_document(path, corpus_dir))]
    again = [c.id for c in chunk_document(load_document(path, corpus_dir))]
    assert first == again and len(set(first)) == len(first)
    path.write_text(path.read_text().replace("28 weeks", "twenty-eight weeks"))
    edited = [c.id for c in chunk_document(load_document(path, corpus_dir))]
    assert edited[0] == first[0] and edited[1] != first[1]


def test_applies_from_comment_becomes_metadata(corpus_dir: Path) -> None:
    chunks = chunk_document(load_document(corpus_dir / "statutory-sick-pay.md", corpus_dir))
    rate = next(c for c in chunks if c.section == "How much Statutory Sick Pay is")
    assert rate.applies_from == "2026-04-06"
    assert "<!--" not in rate.text


def test_long_sections_are_split_under_the_chunk_size(corpus_dir: Path) -> None:
    path = corpus_dir / "long.md"
    body = " ".join(f"Sentence number {i} talks about phased returns." for i in range(200))
    path.write_text((corpus_dir / "fit-notes.md").read_text().split("# Fit notes")[0] + f"## Long\n\n{body}\n")
    chunks = chunk_document(load_document(path, corpus_dir), chunk_size=500, chunk_overlap=50)
    assert len(chunks) > 5 and all(len(c.text) <= 500 for c in chunks)


def test_a_sections_chunks_join_back_into_its_text() -> None:
    corpus = Path(__file__).parents[1] / "corpus"
    document = load_document(corpus / "statutory-sick-pay.md", corpus)
    sections: dict[str, list[str]] = {}
    for chunk in chunk_document(document, chunk_size=200, chunk_overlap=60):
        sections.setdefault(chunk.anchor, []).append(chunk.text)
    anchor, pieces = max(sections.items(), key=lambda item: len(item[1]))
    assert len(pieces) >= 3  # small chunks that overlap
    whole = next(c.text for c in chunk_document(document, chunk_size=10_000) if c.anchor == anchor)
    assert " ".join(join_chunks(pieces).split()) == " ".join(whole.split())
    assert join_chunks(["The first part ends here.", "A second part with nothing shared."]) == (
        "The first part ends here.\n\nA second part with nothing shared."
    )
