"""Split loaded documents into heading-aware chunks with stable ids and citation metadata."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from onestop.corpus import Document
from onestop.errors import CorpusError
from onestop.sections import anchor, markdown_sections, slugify

# Sections that only list links: useful to a reader of the file, noise to the retriever.
SKIPPED_SECTIONS = ("where to find out more",)
_APPLIES = re.compile(r"<!--\s*applies_(from|until)\s*:\s*(\d{4}-\d{2}-\d{2})\s*-->", re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_ITEM = re.compile(r"(?:[-*+]|\d+\.)\s")
MIN_OVERLAP = 8  # shorter shared text between two chunks is taken as chance, not the splitter's overlap


@dataclass(frozen=True)
class Chunk:
    """A citable piece of a corpus document."""

    id: str
    text: str
    source_file: str
    title: str
    section: str
    page: int | None
    topics: tuple[str, ...]
    last_reviewed: str
    url: str
    publisher: str
    applies_from: str | None = None
    applies_until: str | None = None
    position: int = 0
    anchor: str = ""  # the section's one name everywhere: file.md#slug

    @property
    def embedding_text(self) -> str:
        """The text the embedding model sees: title and section give a short chunk its context."""
        return f"{self.title}. {self.section}.\n{self.text}"

    def to_metadata(self) -> dict[str, str | int | float | bool]:
        """Flat metadata for the vector store (no None values, topics as a joined string)."""
        data: dict[str, str | int | float | bool] = {
            "source_file": self.source_file,
            "title": self.title,
            "section": self.section,
            "page": self.page if self.page is not None else -1,
            "topics": "|".join(self.topics),
            "last_reviewed": self.last_reviewed,
            "url": self.url,
            "publisher": self.publisher,
            "position": self.position,
            "anchor": self.anchor,
        }
        for topic in self.topics:
            data[f"topic_{topic}"] = True
        if self.applies_from:
            data["applies_from"] = self.applies_from
        if self.applies_until:
            data["applies_until"] = self.applies_until
        return data

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> Chunk:
        """Rebuild a Chunk from what the vector store returns."""
        page = meta.get("page", -1)
        return cls(
            id=chunk_id,
            text=text,
            source_file=str(meta.get("source_file", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            page=None if page in (-1, None) else int(page),
            topics=tuple(t for t in str(meta.get("topics", "")).split("|") if t),
            last_reviewed=str(meta.get("last_reviewed", "")),
            url=str(meta.get("url", "")),
            publisher=str(meta.get("publisher", "")),
            applies_from=meta.get("applies_from") or None,
            applies_until=meta.get("applies_until") or None,
            position=int(meta.get("position", 0)),
            anchor=str(meta.get("anchor", "")),
        )


def chunk_document(document: Document, chunk_size: int = 900, chunk_overlap: int = 120) -> list[Chunk]:
    """Split one document into chunks: by Markdown headings, then by size; PDF pages keep their number."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
    )
    pieces: list[tuple[str, int | None, str, str | None, str | None]] = []
    slugs = {s.path: s.slug for s in markdown_sections(document.pages[0].text)} if document.kind in ("markdown", "html") else {}
    for page in document.pages:
        for section, body in _sections(page.text, document.meta.title, document.kind):
            if section.strip().lower() in SKIPPED_SECTIONS:
                continue
            applies = {kind.lower(): _real_date(date, kind, section) for kind, date in _APPLIES.findall(body)}
            text = _clean(body)
            if not text:
                continue
            if document.kind == "pdf" and section == document.meta.title:
                section = f"Page {page.number}"
            for piece in splitter.split_text(text):
                pieces.append((section, page.number, piece.strip(), applies.get("from"), applies.get("until")))
    first_source = document.meta.sources[0]
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for position, (section, page_number, text, applies_from, applies_until) in enumerate(pieces):
        chunk_id = _chunk_id(document.path, document.meta.title, section, page_number, text)
        seen[chunk_id] = seen.get(chunk_id, 0) + 1
        if seen[chunk_id] > 1:
            chunk_id = f"{chunk_id}-{seen[chunk_id]}"
        chunks.append(
            Chunk(
                id=chunk_id,
                text=text,
                source_file=document.path,
                title=document.meta.title,
                section=section,
                page=page_number,
                topics=document.meta.topics,
                last_reviewed=document.meta.last_reviewed.isoformat(),
                url=first_source.url,
                publisher=first_source.publisher,
                applies_from=applies_from,
                applies_until=applies_until,
                position=position,
                anchor=anchor(document.path, slugs.get(section) or slugify(section)),
            )
        )
    return chunks


def join_chunks(texts: Sequence[str]) -> str:
    """A section's text rebuilt from its chunks in reading order, without the text consecutive chunks repeat."""
    joined = ""
    for text in texts:
        overlap = next((k for k in range(min(len(joined), len(text)), 0, -1) if joined.endswith(text[:k])), 0)
        if overlap >= MIN_OVERLAP:
            joined += text[overlap:]
        elif not joined or text.startswith((".", ";", ",")):  # the splitter keeps a sentence's separator on the next chunk
            joined += text
        else:  # split where the text had a line break, or inside a sentence too long for one chunk
            joined += "\n\n" + text if joined.endswith((".", "!", "?", ":")) or _ITEM.match(text) else " " + text
    return joined


def _sections(text: str, title: str, kind: str) -> list[tuple[str, str]]:
    """(section path, body) pairs; the document's own H1 is not repeated in the path."""
    if kind in ("pdf", "text"):
        return [(title, text)]
    splitter = MarkdownHeaderTextSplitter(headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True)
    sections = []
    for part in splitter.split_text(text):
        headings = [part.metadata.get(level) for level in ("h2", "h3") if part.metadata.get(level)]
        if not headings and part.metadata.get("h1") and part.metadata["h1"] != title:
            headings = [part.metadata["h1"]]
        sections.append((" > ".join(headings) or title, part.page_content))
    return sections


def _clean(body: str) -> str:
    body = _COMMENT.sub("", body)

    def link(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        return f"{label} ({target})" if target.startswith(("http://", "https://")) else label

    body = _LINK.sub(link, body)
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def _real_date(value: str, kind: str, section: str) -> str:
    """A section's date marker, checked to be a real date (2026-13-45 is refused at ingest, not at answer time)."""
    try:
        dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CorpusError(f"section {section!r}: applies_{kind.lower()} {value} is not a real date") from exc
    return value


def _chunk_id(path: str, title: str, section: str, page: int | None, text: str) -> str:
    """Identity of everything the model embeds: a change to any of it means a new vector."""
    digest = hashlib.sha256(f"{path}\n{title}\n{section}\n{page}\n{text}".encode()).hexdigest()
    return digest[:24]
