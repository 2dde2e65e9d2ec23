"""Understanding a typed question: clean it, resolve an explicit follow-up, split it into parts, read its figures."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from onestop.text import STOPWORDS, stem

MAX_PARTS = 3
_QUESTION_START = re.compile(
    r"^(what|whats|what's|how|when|can|could|do|does|did|is|are|am|should|shall|who|whose|will|would|must|where|which|why|have|has|if)\b",
    re.I,
)
# "..., and when can I ask for a note?" — a conjunction that starts a second question.
_SECOND_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:and|also|plus|but)\s+(?=(?:what|whats|how|when|can|could|do|does|is|are|should|who|will|would|must|where|which|why|have|has|if)\b)",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[?!.])\s+|\s*\n+\s*")
_FOLLOW_UP_START = re.compile(r"^(and|but|also|so|then|what about|how about|what if|and if)\b", re.I)
_PRONOUNS = frozenset("it its they them their this that these those he she him her his".split())
_NUMBER = r"(\d+(?:\.\d+)?)"


@dataclass(frozen=True)
class Figures:
    """Numbers a question gives, read for the calculators (None when not given)."""

    weeks_off: Decimal | None = None
    staff: int | None = None
    weekly_earnings: Decimal | None = None
    hours_a_week: Decimal | None = None
    hourly_pay: Decimal | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class ParsedQuestion:
    """A question split into its parts (each a question), the scenario around them, and its figures."""

    text: str
    parts: tuple[str, ...]
    context: str
    figures: Figures


def clean_question(question: str, max_chars: int) -> tuple[str, tuple[str, ...]]:
    """Normalise a typed question: drop control characters, collapse spaces, truncate very long text."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question or "")
    text = " ".join(text.split())
    notices: tuple[str, ...] = ()
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
        notices = (f"Your question was very long, so only its first {max_chars:,} characters were used.",)
    return text, notices


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """Join a follow-up to the previous question, only on an explicit cue ('and…', 'what about…', a bare pronoun)."""
    if not history:
        return question
    words = re.findall(r"[a-z']+", question.lower())
    content = [w for w in words if w not in STOPWORDS and w not in _PRONOUNS]
    bare_pronoun = any(w in _PRONOUNS for w in words) and len(content) <= 2
    if _FOLLOW_UP_START.match(question.strip()) or bare_pronoun:
        return f"{history[-1]} {question}"
    return question


def parse_question(text: str) -> ParsedQuestion:
    """Split a question into up to three questions plus the scenario sentences around them."""
    pieces = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    questions: list[str] = []
    context: list[str] = []
    for piece in pieces:
        if piece.endswith("?") or _QUESTION_START.match(piece):
            questions.extend(q.strip(" ,") for q in _SECOND_QUESTION.split(piece) if _content_words(q) >= 1)
        else:
            context.append(piece)
    if not questions:  # a statement of the situation is the question ("need help with ssp for part timer")
        questions, context = [text], []
    unique = list(dict.fromkeys(questions))[:MAX_PARTS]
    return ParsedQuestion(text, tuple(unique), " ".join(context), read_figures(text))


def read_figures(text: str) -> Figures:
    """Read weeks off, staff numbers, pay and costs from a question ('off 3 weeks', '8 staff', '£12.71 an hour')."""
    lowered = text.lower().replace(",", "")
    weeks = _find(rf"{_NUMBER}\s*(?:weeks?|wks?)\b", lowered)
    months = _find(rf"{_NUMBER}\s*months?\b", lowered)
    staff = _find(rf"{_NUMBER}\s*(?:staff|employees|people|workers|members of staff|person)\b", lowered)
    weekly = _find(rf"£\s?{_NUMBER}\s*(?:a|per|each)\s*week|£\s?{_NUMBER}\s*(?:pw|p/w)\b", lowered)
    hourly = _find(rf"£\s?{_NUMBER}\s*(?:an|per|a)\s*(?:hour|hr)|£\s?{_NUMBER}\s*(?:ph|p/h)\b", lowered)
    hours = _find(rf"{_NUMBER}\s*(?:hours?|hrs?)\s*(?:a|per|each)?\s*week", lowered)
    amounts = [Decimal(m) for m in re.findall(rf"£\s?{_NUMBER}(?!\s*(?:a|an|per|each)\s*(?:week|hour|hr))", lowered)]
    cost = max(amounts) if amounts and weekly is None and hourly is None else None
    if weeks is None and months is not None and months <= 12:
        weeks = None  # months are too vague for a worked SSP figure; the card answer still applies
    return Figures(
        weeks_off=weeks,
        staff=int(staff) if staff is not None else None,
        weekly_earnings=weekly,
        hours_a_week=hours,
        hourly_pay=hourly,
        cost=cost,
    )


def question_words(text: str) -> set[str]:
    """The question's words, raw and stemmed, for situation cautions."""
    raw = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return set(raw) | {stem(w) for w in raw}


def _content_words(text: str) -> int:
    return sum(1 for w in re.findall(r"[a-z0-9£']+", text.lower()) if w not in STOPWORDS)


def _find(pattern: str, text: str) -> Decimal | None:
    match = re.search(pattern, text)
    if not match:
        return None
    value = next(g for g in match.groups() if g is not None)
    return Decimal(value)
