"""Loading corpus files: front matter, sidecars, PDFs, HTML and the reasons files are rejected."""

from __future__ import annotations

from pathlib import Path

import pytest

from onestop.corpus import discover, html_to_markdown, load_document, split_front_matter
from onestop.errors import CorpusError

GOOD_META = """---
title: A title
topics: [fit-notes]
sources:
  - {title: Fit notes, publisher: GOV.UK, url: "https://www.gov.uk/"}
last_reviewed: 2026-01-01
summary: One sentence.
---
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_markdown_front_matter_is_parsed(corpus_dir: Path) -> None:
    document = load_document(corpus_dir / "fit-notes.md", corpus_dir)
    assert document.meta.title == "Fit notes explained"
    assert document.meta.topics == ("fit-notes", "sickness-absence")
    assert document.meta.sources[0].url.startswith("https://")
    assert document.meta.last_reviewed.isoformat() == "2026-11-30"
    assert document.path == "fit-notes.md"
    assert "four options" in document.pages[0].text


def test_pdf_keeps_page_numbers_and_takes_sidecar_metadata(corpus_dir: Path) -> None:
    document = load_document(corpus_dir / "oh-guide.pdf", corpus_dir)
    assert document.kind == "pdf"
    assert [p.number for p in document.pages] == [1, 2]
    assert "consent" in document.pages[1].text
    assert document.meta.title == "Occupational health for managers"


def test_discover_skips_sidecars_and_checklists(corpus_dir: Path) -> None:
    (corpus_dir / "checklists").mkdir()
    write(corpus_dir / "checklists", "recruitment.md", GOOD_META)
    names = [p.name for p in discover(corpus_dir)]
    assert "broken.meta.yaml" not in names and "recruitment.md" not in names
    assert {"fit-notes.md", "broken.pdf", "oh-guide.pdf"} <= set(names)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", "", "empty"),
        ("blank.md", "   \n\n", "empty"),
        ("no-front.md", "# Just a heading\n\nText.", "no YAML front matter"),
        ("bad-yaml.md", "---\ntitle: [unclosed\n---\nText", "not valid YAML"),
        ("missing.md", "---\ntitle: T\ntopics: [fit-notes]\n---\nText", "missing sources, last_reviewed, summary"),
        ("topic.md", GOOD_META.replace("fit-notes", "astrology"), "unknown topic 'astrology'"),
        ("date.md", GOOD_META.replace("2026-01-01", "last tuesday"), "last_reviewed must be a date"),
        ("url.md", GOOD_META.replace("https://www.gov.uk/", "not a url"), "invalid url"),
        ("latin1.md", (GOOD_META + "Caf\xe9 text").encode("latin-1"), "not UTF-8"),
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "binary"),
        ("notes.txt", "Plain text with no sidecar.", "no metadata"),
        ("broken.pdf", b"%PDF-1.4 garbage", "no metadata"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path: Path, name: str, content, reason: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(CorpusError, match=reason):
        load_document(path, tmp_path)


def test_corrupt_pdf_with_sidecar_gives_a_pdf_reason(corpus_dir: Path) -> None:
    with pytest.raises(CorpusError, match="PDF"):
        load_document(corpus_dir / "broken.pdf", corpus_dir)


def test_symlink_outside_the_corpus_is_rejected(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.md", GOOD_META + "Secret text")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.md").symlink_to(outside)
    with pytest.raises(CorpusError, match="outside the corpus"):
        load_document(corpus / "link.md", corpus)


def test_html_keeps_headings_and_drops_scripts() -> None:
    text = html_to_markdown("<h1>Title</h1><script>alert(1)</script><h2>Part</h2><p>Body &amp; more</p>")
    assert "# Title" in text and "## Part" in text and "Body & more" in text
    assert "alert" not in text


def test_front_matter_with_byte_order_mark() -> None:
    meta, body = split_front_matter("\ufeff" + GOOD_META + "Body")
    assert meta["title"] == "A title" and body == "Body"


def test_html_with_sidecar_is_loaded_and_chunked_by_heading(tmp_path: Path) -> None:
    from onestop.chunking import chunk_document

    write(
        tmp_path,
        "guide.html",
        "<html><head><title>x</title></head><body><h1>Guide</h1><h2>Who applies</h2>"
        "<p>The employee applies for the grant online.</p><script>steal()</script></body></html>",
    )
    write(tmp_path, "guide.meta.yaml", GOOD_META.strip("-\n").replace("---", ""))
    document = load_document(tmp_path / "guide.html", tmp_path)
    chunks = chunk_document(document)
    assert document.kind == "html" and [c.section for c in chunks] == ["Who applies"]
    assert "steal" not in chunks[0].text


def test_text_file_with_sidecar_is_one_section(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "Plain notes about keeping in touch with staff who are off sick.")
    write(tmp_path, "notes.txt.meta.yaml", GOOD_META.strip("-\n").replace("---", ""))
    document = load_document(tmp_path / "notes.txt", tmp_path)
    assert document.kind == "text" and document.meta.title == "A title"


def test_a_fifo_or_device_link_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    import os

    from onestop.corpus import file_fingerprint

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "pipe.md")  # reading it would block ingest for ever
    (corpus / "zero.md").symlink_to("/dev/zero")  # reading it would never end
    for name, reason in (("pipe.md", "not a regular file"), ("zero.md", "outside the corpus folder")):
        with pytest.raises(CorpusError, match=reason):
            file_fingerprint(corpus / name, corpus)
        with pytest.raises(CorpusError, match=reason):
            load_document(corpus / name, corpus)


def test_file_size_pdf_pages_and_text_limits_come_from_settings(corpus_dir: Path) -> None:
    from onestop.config import Settings
    from onestop.corpus import Limits, file_fingerprint

    big = corpus_dir / "big.md"
    big.write_text("x" * (2 * 2**20), encoding="utf-8")
    with pytest.raises(CorpusError, match="too large"):
        file_fingerprint(big, corpus_dir, Settings(max_file_mb=1).limits)
    with pytest.raises(CorpusError, match="pages"):
        load_document(corpus_dir / "oh-guide.pdf", corpus_dir, Limits(max_pdf_pages=1))
    with pytest.raises(CorpusError, match="characters of text"):
        load_document(corpus_dir / "oh-guide.pdf", corpus_dir, Limits(max_text_chars=20))
    with pytest.raises(CorpusError, match="longer than 0 seconds"):
        load_document(corpus_dir / "oh-guide.pdf", corpus_dir, Limits(pdf_seconds=0.0))
    sidecar = corpus_dir / "oh-guide.meta.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "#" * (2 * 2**20), encoding="utf-8")
    with pytest.raises(CorpusError, match="oh-guide.meta.yaml is too large"):
        load_document(corpus_dir / "oh-guide.pdf", corpus_dir, Limits(max_file_bytes=2**20))
