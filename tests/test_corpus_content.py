"""Lint and spot-check the shipped guidance corpus (docs as tests)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from onestop.corpus import TOPICS, load_document, split_front_matter

CORPUS = Path(__file__).parents[1] / "corpus"
DOCUMENTS = sorted(CORPUS.glob("*.md"))
MAX_SECTION_WORDS = 400


def sections(path: Path) -> dict[str, str]:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    parts = re.split(r"^## +(.+?)\s*$", body, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def words(text: str) -> int:
    return len(re.sub(r"<!--.*?-->", "", text, flags=re.S).split())


def test_there_are_at_least_30_documents() -> None:
    assert len(DOCUMENTS) >= 30


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_document_is_well_formed(path: Path) -> None:
    document = load_document(path, CORPUS)  # valid front matter, known topics, sources, date
    meta = document.meta
    assert any(s.url.startswith("https://") for s in meta.sources), "needs at least one https source"
    assert meta.last_reviewed <= dt.date.today(), "review date is in the future"
    found = sections(path)
    assert len(found) >= 2, "needs at least two ## sections"
    long = {name: words(text) for name, text in found.items() if words(text) > MAX_SECTION_WORDS}
    assert not long, f"sections over {MAX_SECTION_WORDS} words: {long}"
    assert 300 <= words(document.pages[0].text) <= 1300
    assert list(found)[-1] == "Where to find out more"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_internal_links_point_to_existing_documents(path: Path) -> None:
    targets = re.findall(r"\]\(([^)\s#]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    broken = [t for t in targets if not t.startswith(("http://", "https://", "mailto:")) and not (CORPUS / t).is_file()]
    assert not broken


def test_titles_are_unique() -> None:
    titles = Counter(load_document(p, CORPUS).meta.title for p in DOCUMENTS)
    assert [t for t, n in titles.items() if n > 1] == []


def test_every_topic_has_at_least_two_documents() -> None:
    counts = Counter(t for p in DOCUMENTS for t in load_document(p, CORPUS).meta.topics)
    assert {t: counts[t] for t in TOPICS if counts[t] < 2} == {}


@pytest.mark.parametrize(
    ("file", "facts"),
    [
        ("statutory-sick-pay.md", [r"£123\.25", r"6 April 2026", r"80%|80 per cent", r"28 weeks"]),
        ("statutory-sick-pay-previous-rules.md", [r"£118\.75", r"£125", r"waiting days", r"applies_until: 2026-04-05"]),
        ("fit-notes.md", [r"phased return", r"altered hours", r"amended duties", r"workplace adaptations", r"pharmacists"]),
        ("access-to-work.md", [r"0800 121 7479", r"(employee|disabled person)[^.]{0,40}appl"]),
        ("access-to-work-applying.md", [r"12 weeks", r"Northern Ireland"]),
        ("access-to-work-mental-health-support.md", [r"273 days|9 months|nine months"]),
        ("getting-help.md", [r"0300 123 1100", r"Fit for Work", r"2018"]),
        ("pre-employment-health-questions.md", [r"section 60", r"conditional"]),
        ("occupational-health-referral.md", [r"£500", r"28"]),
        ("disability-confident.md", [r"Committed", r"Leader", r"interview"]),
        ("phased-returns.md", [r"£16\.45", r"£72", r"2016"]),
    ],
)
def test_key_facts_are_where_they_should_be(file: str, facts: list[str]) -> None:
    text = (CORPUS / file).read_text(encoding="utf-8")
    missing = [fact for fact in facts if not re.search(fact, text, re.I)]
    assert not missing
