"""The corpus lint behind `onestop check`: documents, answer cards, checklists, writing rules."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

from onestop.calculators import RATES_FILE, load_rates
from onestop.cards import card_files, load_cards
from onestop.checklists import check_all
from onestop.corpus import discover, load_document, relative_name, split_front_matter
from onestop.errors import CorpusError, DataFileError
from onestop.referrals import REFERRALS_FILE, SCOPE_FILE, load_referrals, load_scope
from onestop.sections import corpus_sections, markdown_sections
from onestop.text import sentences

MAX_SECTION_WORDS = 400
MAX_PARAGRAPH_SENTENCES = 4
LONG_SENTENCE_WORDS = 25
MAX_LONG_SENTENCE_SHARE = 0.08
MAX_BARE_OPENER_SHARE = 0.05
_BARE_OPENER = re.compile(r"^(This|That|It|These)\b(?!\s+(?:means|is why))")


@dataclass(frozen=True)
class Problem:
    """One thing an editor should fix, printed as `file:line: message`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_json(self) -> dict:
        """The problem as in `onestop check --json`."""
        return asdict(self)


def check_corpus(corpus_dir: Path, writing_rules: bool = True) -> list[Problem]:
    """Every problem in a corpus folder, documents first, then cards and checklists."""
    problems: list[Problem] = []
    for path in discover(corpus_dir):
        rel = relative_name(path, corpus_dir)
        try:
            load_document(path, corpus_dir)
        except CorpusError as exc:
            problems.append(Problem(rel, 1, str(exc)))
            continue
        if path.suffix.lower() == ".md":
            problems += _check_markdown(path, rel, writing_rules)
    problems += _check_cards(corpus_dir)
    problems += data_file_problems(corpus_dir)
    problems += [Problem(f["file"], 1, f["reason"]) for f in check_all(corpus_dir)]
    return problems


def data_file_problems(corpus_dir: Path) -> list[Problem]:
    """The rates, referrals and scope files, validated: each bad one named with its entry and field."""
    problems = []
    for name, load in ((RATES_FILE, load_rates), (REFERRALS_FILE, load_referrals), (SCOPE_FILE, load_scope)):
        if not (corpus_dir / name).exists():
            continue
        try:
            load(corpus_dir)
        except DataFileError as exc:
            problems.append(Problem(name, 1, str(exc).split(": ", 1)[-1]))
    return problems


def _check_markdown(path: Path, rel: str, writing_rules: bool) -> list[Problem]:
    text = path.read_text(encoding="utf-8")
    _, body = split_front_matter(text)
    offset = text[: len(text) - len(body)].count("\n")
    problems: list[Problem] = []
    sections = markdown_sections(body)
    if len([s for s in sections if s.level == 2]) < 2:
        problems.append(Problem(rel, 1, "needs at least two ## sections"))
    for section in sections:
        words = len(re.sub(r"<!--.*?-->", "", section.text, flags=re.S).split())
        if section.level == 2 and words > MAX_SECTION_WORDS:
            problems.append(
                Problem(rel, _line_of(body, section.heading) + offset, f"section has {words} words (limit {MAX_SECTION_WORDS})")
            )
    if not writing_rules:
        return problems
    prose = [s for s in sections if s.heading.lower() != "where to find out more"]
    all_sentences: list[str] = []
    for section in prose:
        for paragraph in re.split(r"\n\s*\n", re.sub(r"<!--.*?-->", "", section.text, flags=re.S)):
            if re.match(r"\s*(?:[-*+]|\d+\.)\s", paragraph) or paragraph.lstrip().startswith("#"):
                all_sentences += sentences(paragraph)
                continue
            found = sentences(paragraph)
            all_sentences += found
            if len(found) > MAX_PARAGRAPH_SENTENCES:
                problems.append(
                    Problem(
                        rel,
                        _line_of(body, paragraph.strip()[:40]) + offset,
                        f"paragraph has {len(found)} sentences (limit {MAX_PARAGRAPH_SENTENCES})",
                    )
                )
    if all_sentences:
        long = [s for s in all_sentences if len(s.split()) > LONG_SENTENCE_WORDS]
        if len(long) / len(all_sentences) > MAX_LONG_SENTENCE_SHARE:
            problems.append(
                Problem(
                    rel,
                    1,
                    f"{len(long)} of {len(all_sentences)} sentences are over {LONG_SENTENCE_WORDS} words (limit {MAX_LONG_SENTENCE_SHARE:.0%}); first: {long[0][:60]!r}",
                )
            )
        bare = [s for s in all_sentences if _BARE_OPENER.match(s)]
        if len(bare) / len(all_sentences) > MAX_BARE_OPENER_SHARE:
            problems.append(
                Problem(
                    rel,
                    1,
                    f"{len(bare)} sentences open with a bare This/That/It/These (limit {MAX_BARE_OPENER_SHARE:.0%}); first: {bare[0][:60]!r}",
                )
            )
    return problems


def _check_cards(corpus_dir: Path) -> list[Problem]:
    if not card_files(corpus_dir):
        return []
    cards = load_cards(corpus_dir, corpus_sections(corpus_dir))
    problems = []
    for problem in cards.problems:
        file, _, rest = problem.partition(": ")
        card_id = re.match(r"card ([a-z0-9-]+)", rest)
        line = _card_line(corpus_dir / file, card_id.group(1)) if card_id else 1
        problems.append(Problem(file, line, rest))
    return problems


def _card_line(path: Path, card_id: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if re.match(rf"\s*-\s*id:\s*{re.escape(card_id)}\s*$", line)), 1)


def _line_of(body: str, needle: str) -> int:
    index = body.find(needle)
    return body[:index].count("\n") + 1 if index >= 0 else 1
