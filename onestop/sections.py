"""Sections of a Markdown guidance document and their one name everywhere: `file.md#slug`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from onestop.corpus import split_front_matter
from onestop.errors import CorpusError

_HEADING = re.compile(r"^(#{1,3})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    """One `##` or `###` section: its heading path, slug and text (subsections included)."""

    level: int
    heading: str
    path: str  # "H2 > H3", as chunk citations show it
    slug: str
    text: str


def slugify(heading: str) -> str:
    """The slug of a heading: lowercase words joined by hyphens ('How much SSP?' → 'how-much-ssp')."""
    words = re.findall(r"[a-z0-9]+", heading.lower().replace("’", "").replace("'", ""))
    return "-".join(words) or "section"


def anchor(source_file: str, slug: str) -> str:
    """The one way to name a section: `file.md#slug`."""
    return f"{source_file}#{slug}"


def markdown_sections(body: str) -> list[Section]:
    """Every `##`/`###` section of a Markdown body, in order, with slugs unique within the file."""
    headings: list[tuple[int, int, str]] = []  # (line number, level, heading)
    lines = body.splitlines()
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if match:
            headings.append((number, len(match.group(1)), match.group(2).strip()))
    sections: list[Section] = []
    seen: dict[str, int] = {}
    parent = ""
    for index, (number, level, heading) in enumerate(headings):
        if level == 1:
            parent = ""
            continue
        if level == 2:
            parent = heading
        end = next((n for n, lvl, _ in headings[index + 1 :] if lvl <= level), len(lines))
        slug = slugify(heading)
        seen[slug] = seen.get(slug, 0) + 1
        if seen[slug] > 1:
            slug = f"{slug}-{seen[slug]}"
        path = heading if level == 2 or not parent else f"{parent} > {heading}"
        text = "\n".join(lines[number + 1 : end]).strip()
        sections.append(Section(level, heading, path, slug, text))
    return sections


def corpus_sections(corpus_dir: Path) -> dict[str, Section]:
    """Every section of every Markdown document in the corpus, keyed by `file.md#slug`."""
    found: dict[str, Section] = {}
    for path in sorted(corpus_dir.glob("*.md")):
        try:
            _, body = split_front_matter(path.read_text(encoding="utf-8"))
        except (CorpusError, OSError, UnicodeDecodeError):  # reported by ingest and `onestop check`
            continue
        for section in markdown_sections(body):
            found[anchor(path.name, section.slug)] = section
    return found
