"""Small text helpers shared by retrieval and answering: tokens, stems, sentences."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs them then
    there these they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself i'm i've we're what's it's dont don't need know want tell
    please thanks hi hello get got""".split()
)
# Shown on every page of the app and in every exported conversation.
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def strip_images(text: str) -> str:
    """Markdown text without image syntax (an image link could send data to another server)."""
    return _IMAGE.sub("", text)


NOT_LEGAL_ADVICE = (
    "onestop gives general guidance for employers in Great Britain. It is not legal advice: "
    "for a decision about a particular employee, check the official sources or get professional advice."
)
_TOKEN = re.compile(r"[a-z0-9£]+(?:[.,][0-9]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9£\"'(\[])")
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "para.", "s.", "no.", "approx.", "vs.", "mr.", "mrs.", "dr.")


def stem(token: str) -> str:
    """A light English stemmer: enough to match 'adjustments' with 'adjustment' and 'paying' with 'pay'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3 and not token.endswith("ss"):
            return token[: -len(suffix)] + keep
    return token


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words of a text, for lexical search and overlap scores."""
    return [stem(t) for t in _TOKEN.findall(text.lower().replace("’", "'")) if t not in STOPWORDS]


@dataclass(frozen=True)
class Unit:
    """A sentence or a whole list item of a passage, in reading order."""

    text: str
    is_item: bool
    block: int  # index of the paragraph or list it belongs to


def units(text: str) -> list[Unit]:
    """Split a passage into sentences and list items, keeping each one whole and knowing which is which."""
    found: list[Unit] = []
    block_number = 0
    for paragraph in re.split(r"\n\s*\n", text):
        for block in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", paragraph):
            is_item = bool(re.match(r"^\s*(?:[-*+]|\d+\.)\s+", block))
            block = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", block.strip())
            block = " ".join(block.split())
            if not block:
                continue
            parts = _SENTENCE_END.split(block)
            merged: list[str] = []
            for part in parts:
                if merged and merged[-1].split()[-1].lower() in _ABBREVIATIONS:
                    merged[-1] = f"{merged[-1]} {part}"
                else:
                    merged.append(part)
            found.extend(Unit(p.strip(), is_item, block_number) for p in merged if p.strip())
            if not is_item:
                block_number += 1
        block_number += 1
    return found


def sentences(text: str) -> list[str]:
    """Split a passage into sentences and list items, keeping each one whole."""
    return [unit.text for unit in units(text)]


def long_date(value: dt.date | str | None) -> str:
    """A date (or ISO date/timestamp) in GOV.UK style: '30 November 2026'."""
    if not value:
        return "unknown"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def names_any(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether the text names any of the phrases as whole words, case-insensitively (a trailing * matches any ending)."""
    return bool(phrases) and _any_phrase_pattern(phrases).search(_for_phrases(text)) is not None


def distinct_named(text: str, phrases: tuple[str, ...]) -> int:
    """How many different words or phrases from the set the text names (whole words; a trailing * matches any ending)."""
    return len({m.group(0) for m in _any_phrase_pattern(phrases).finditer(_for_phrases(text))}) if phrases else 0


_PHRASE = re.compile(r"[a-z0-9' -]+\*?")


def is_phrase_list(value: object) -> bool:
    """Whether a data-file value is a list of lowercase words or phrases, each optionally ending in *."""
    return isinstance(value, list) and all(isinstance(p, str) and _PHRASE.fullmatch(p) for p in value)


def without_phrases(text: str, phrases: tuple[str, ...]) -> str:
    """The text (normalised for phrase matching) with every whole-word occurrence of the phrases blanked out."""
    return _any_phrase_pattern(phrases).sub(" ", _for_phrases(text)) if phrases else text


def _for_phrases(text: str) -> str:
    """The text lower-cased, with curly apostrophes straightened and runs of whitespace made single spaces."""
    return " ".join(text.lower().replace("’", "'").split())


@functools.lru_cache(maxsize=4096)
def _any_phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled pattern for a set of whole-word phrases (compiled once: there are more than re's own cache holds)."""
    alternatives = "|".join(re.escape(p[:-1]) + r"[a-z0-9']*" if p.endswith("*") else re.escape(p) for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
