"""Answer cards: question-led answers as data (`corpus/answers/*.yaml`), loaded and validated.

A card is one employer need: the question, the ways managers ask it (`asked_as`), a short
direct answer and the guidance sections it cites (`file.md#slug`). Validation makes sure a
card can never drift from the guidance it cites: every number in its answer must appear in
a cited section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from onestop.corpus import TOPICS, load_yaml
from onestop.errors import CardError
from onestop.sections import Section, corpus_sections
from onestop.text import is_phrase_list, names_any

ANSWERS_DIR = "answers"
MIN_ASKED_AS = 5
REGIONS = ("GB", "NI")
CALCULATORS = (
    "ssp",
    "access-to-work-cost-share",
    "ssp-linking",
    "bradford-factor",
    "ssp-end",
    "phased-return-pay",
    "ssp-straddle",  # says when a dated spell of sickness started before the SSP rules in force today
    "holiday-carry-over",  # the 4 weeks of statutory holiday sickness lets them carry over, in their working days
    "riddor-over-7-days",  # when an injury at work becomes reportable and the report is due, from the accident's date
    "riddor-specified",  # a serious injury's full-report date, with the over-7-day deadline, from the accident's date
    "qualifying-service",  # whether their length of service is enough to claim unfair dismissal, now and from 2027
    "treatment-tax",  # how much of treatment occupational health recommends is tax-free, from its cost
)
_REQUIRED = ("id", "question", "asked_as", "answer", "cites", "topics", "last_reviewed")
_OPTIONAL = (
    "applies_to",
    "caution",
    "next_steps",
    "related",
    "applies_from",
    "applies_until",
    "when",
    "calculator",
    "staff",
    "leads_when",
    "only_when",
    "not_when",
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Figures a card states: £ amounts, percentages, plain numbers (dates are checked by their numbers).
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Card:
    """One validated answer card."""

    id: str
    question: str
    asked_as: tuple[str, ...]
    answer: str
    cites: tuple[str, ...]
    topics: tuple[str, ...]
    last_reviewed: str
    source_file: str  # e.g. answers/statutory-sick-pay.yaml
    applies_to: tuple[str, ...] = ("GB",)
    caution: str | None = None
    next_steps: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    applies_from: str | None = None
    applies_until: str | None = None
    when: tuple[tuple[str, ...], ...] = ()  # situation words: every group must match for the caution to apply
    calculator: str | None = None
    staff: tuple[int, int | None] | None = None  # the employer sizes it is for: (fewest, most; None = no upper limit)
    leads_when: tuple[str, ...] = ()  # phrases that make this card lead any answer (someone may be at risk)
    only_when: tuple[str, ...] = ()  # the card answers only a question naming one of these (its situation: "hangover")
    not_when: tuple[str, ...] = ()  # the card never answers a question naming one of these (another card's situation)

    @property
    def phrases(self) -> tuple[str, ...]:
        """The question and every way of asking it: each is matched against the user's question."""
        return (self.question, *self.asked_as)

    def fingerprint(self) -> str:
        """A hash of everything the card says, so an edit is noticed at the next ingest."""
        return hashlib.sha256(self.to_json_text().encode()).hexdigest()[:24]

    def to_json_text(self) -> str:
        """The card as canonical JSON (stored with its index entries)."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json_text(cls, text: str) -> Card:
        """Rebuild a card stored by `to_json_text`."""
        data = json.loads(text)
        for key in ("asked_as", "cites", "topics", "applies_to", "next_steps", "related"):
            data[key] = tuple(data.get(key) or ())
        data["when"] = tuple(tuple(group) for group in data.get("when") or ())
        data["staff"] = tuple(data["staff"]) if data.get("staff") else None
        data["leads_when"] = tuple(data.get("leads_when") or ())
        data["only_when"] = tuple(data.get("only_when") or ())
        data["not_when"] = tuple(data.get("not_when") or ())
        return cls(**data)

    def fits_staff(self, staff: int | None) -> bool:
        """Whether the card is for an employer of this size (always, when the size is unknown or the card is for any size)."""
        if staff is None or self.staff is None:
            return True
        fewest, most = self.staff
        return fewest <= staff and (most is None or staff <= most)

    def triggered_by(self, words: set[str]) -> bool:
        """True when the question's words match every `when` group (a situation caution)."""
        return bool(self.when) and all(any(_matches(w, words) for w in group) for group in self.when)

    def fits_situation(self, text: str) -> bool:
        """Whether the question names the situation the card is for (`only_when`) and none it is not for (`not_when`)."""
        return (not self.only_when or names_any(text, self.only_when)) and not names_any(text, self.not_when)

    def must_lead(self, text: str) -> bool:
        """True when the question names one of the card's `leads_when` phrases (or every term of an "a + b" entry)."""
        phrases, conjunctions = _split_leads(self.leads_when)
        if names_any(text, phrases):
            return True
        return any(all(names_any(text, (term,)) for term in terms) for terms in conjunctions)


@lru_cache(maxsize=64)
def _split_leads(leads_when: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A card's `leads_when` as its single phrases and its "a + b" entries (split into their terms), once per card."""
    phrases = tuple(p for p in leads_when if " + " not in p)
    return phrases, tuple(tuple(p.split(" + ")) for p in leads_when if " + " in p)


# Each pronoun's form for he / she / they / I, by role, so a `leads_when` phrase written once
# ("he'd be better off dead") also matches "she'd", "they'd", "id be better off dead".
_PERSONS = {
    "self": ("himself", "herself", "themselves", "myself"),
    "possessive": ("his", "her", "their", "my"),
    "subject": ("he", "she", "they", "i"),
    "object": ("him", "her", "them", "me"),
    "is": ("he's", "she's", "they're", "i'm"),
    "would": ("he'd", "she'd", "they'd", "i'd"),
    "will": ("he'll", "she'll", "they'll", "i'll"),
}
_ROLES: dict[str, list[str]] = {}
for _role, _forms in _PERSONS.items():
    for _form in _forms:
        _ROLES.setdefault(_form, []).append(_role)
_ROLES["themself"] = ["self"]


def with_person_variants(phrases: Sequence[str]) -> tuple[str, ...]:
    """The phrases for every person (he, she, they, I) and without apostrophes, lowercased and de-duplicated."""
    variants: list[str] = []
    for phrase in phrases:
        words = phrase.lower().replace("’", "'").split()
        variants.append(" ".join(words))  # as written: "kill her and then himself" names two people
        for person in range(4):
            options = [sorted({_PERSONS[r][person] for r in _ROLES[w]}) if w in _ROLES else [w] for w in words]
            variants.extend(" ".join(combo) for combo in itertools.product(*options))
    variants += [v.replace("'", "") for v in variants if "'" in v]
    return tuple(dict.fromkeys(variants))


@dataclass
class CardSet:
    """Every card of a corpus, with the problems found while loading them."""

    cards: dict[str, Card] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # answers file -> content hash
    problems: list[str] = field(default_factory=list)  # "file: card id: message"


def card_files(corpus_dir: Path) -> list[Path]:
    """The answer-card files of a corpus, sorted."""
    folder = corpus_dir / ANSWERS_DIR
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) if folder.is_dir() else []


def load_cards(corpus_dir: Path, sections: dict[str, Section] | None = None) -> CardSet:
    """Load and validate every card; problems name the file, the card and the field."""
    sections = corpus_sections(corpus_dir) if sections is None else sections
    result = CardSet()
    asked_by: dict[str, str] = {}
    for path in card_files(corpus_dir):
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            raw_text = path.read_text(encoding="utf-8")
            entries = load_yaml(raw_text) or []
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            result.problems.append(f"{rel}: cannot be read as UTF-8 YAML ({type(exc).__name__})")
            continue
        if not isinstance(entries, list):
            result.problems.append(f"{rel}: must be a list of cards ('- id: ...')")
            continue
        result.files[rel] = hashlib.sha256(raw_text.encode()).hexdigest()
        for number, raw in enumerate(entries, start=1):
            where = f"{rel}: card {raw.get('id', number) if isinstance(raw, dict) else number}"
            try:
                card = parse_card(raw, rel, sections)
            except CardError as exc:
                result.problems.append(f"{where}: {exc}")
                continue
            if card.id in result.cards:
                result.problems.append(f"{where}: id is already used in {result.cards[card.id].source_file}")
                continue
            for phrase in card.phrases:
                key = " ".join(phrase.lower().split())
                if key in asked_by and asked_by[key] != card.id:
                    result.problems.append(f"{where}: asked_as {phrase!r} is also on card {asked_by[key]}")
                elif key in asked_by:
                    result.problems.append(f"{where}: asked_as {phrase!r} is repeated on this card")
                asked_by.setdefault(key, card.id)
            result.cards[card.id] = card
    for card in result.cards.values():
        missing = [r for r in card.related if r not in result.cards]
        if missing:
            result.problems.append(f"{card.source_file}: card {card.id}: related card(s) {', '.join(missing)} do not exist")
    return result


def parse_card(raw: object, source_file: str, sections: dict[str, Section]) -> Card:
    """Validate one card mapping against the corpus sections (raises CardError naming the field)."""
    if not isinstance(raw, dict):
        raise CardError("must be a mapping of fields (id, question, asked_as, answer, cites, ...)")
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if missing:
        raise CardError(f"missing {', '.join(missing)}")
    unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise CardError(f"unknown field(s) {', '.join(unknown)}")
    card_id = _text(raw, "id")
    if not _ID.match(card_id):
        raise CardError("id must be lowercase words joined by hyphens")
    asked_as = _texts(raw, "asked_as")
    if len(asked_as) < MIN_ASKED_AS:
        raise CardError(f"asked_as needs at least {MIN_ASKED_AS} phrasings (has {len(asked_as)})")
    cites = _texts(raw, "cites")
    for cite in cites:
        if "#" not in cite:
            raise CardError(f"cites: {cite!r} must look like file.md#section-slug")
        if cite not in sections:
            raise CardError(f"cites: no section {cite!r} in the corpus")
    topics = _texts(raw, "topics")
    unknown_topics = [t for t in topics if t not in TOPICS]
    if unknown_topics:
        raise CardError(f"topics: unknown topic {unknown_topics[0]!r}")
    applies_to = _texts(raw, "applies_to") if raw.get("applies_to") else ("GB",)
    if any(region not in REGIONS for region in applies_to):
        raise CardError(f"applies_to must list GB and/or NI (got {list(applies_to)})")
    calculator = raw.get("calculator")
    if calculator is not None and calculator not in CALCULATORS:
        raise CardError(f"calculator must be one of {', '.join(CALCULATORS)}")
    staff = _staff(raw.get("staff"))
    when = raw.get("when") or []
    if not isinstance(when, list) or not all(isinstance(g, list) and g and all(isinstance(w, str) for w in g) for g in when):
        raise CardError("when must be a list of word lists, e.g. [[dismiss, sack], [sick, ill]]")
    leads_when = raw.get("leads_when") or []
    if not isinstance(leads_when, list) or not all(isinstance(p, str) and p.strip() == p and p for p in leads_when):
        raise CardError("leads_when must be a list of phrases, e.g. [kill himself, end her life]")
    only_when, not_when = _phrases(raw, "only_when"), _phrases(raw, "not_when")
    card = Card(
        id=card_id,
        question=_text(raw, "question"),
        asked_as=asked_as,
        answer=_text(raw, "answer"),
        cites=cites,
        topics=topics,
        last_reviewed=_date(raw, "last_reviewed"),
        source_file=source_file,
        applies_to=applies_to,
        caution=_text(raw, "caution") if raw.get("caution") else None,
        next_steps=_texts(raw, "next_steps") if raw.get("next_steps") else (),
        related=_texts(raw, "related") if raw.get("related") else (),
        applies_from=_date(raw, "applies_from") if raw.get("applies_from") else None,
        applies_until=_date(raw, "applies_until") if raw.get("applies_until") else None,
        when=tuple(tuple(w.lower() for w in group) for group in when),
        calculator=calculator,
        staff=staff,
        leads_when=with_person_variants(leads_when),
        only_when=only_when,
        not_when=not_when,
    )
    cited_text = "\n".join(sections[c].text for c in cites)
    stray = unsupported_figures(card.answer, cited_text)
    if stray:
        raise CardError(f"answer states {', '.join(stray)}, which no cited section contains")
    return card


def unsupported_figures(answer: str, cited_text: str) -> list[str]:
    """Numbers in an answer that do not appear in the cited text (so a card cannot drift)."""
    available = {_normal(n) for n in _NUMBER.findall(cited_text)}
    return [n for n in dict.fromkeys(_normal(x) for x in _NUMBER.findall(answer)) if n not in available]


def _normal(number: str) -> str:
    return number.replace(",", "").rstrip(".")


def _matches(word: str, words: set[str]) -> bool:
    if word.endswith("*"):
        return any(w.startswith(word[:-1]) for w in words)
    return word in words


def _phrases(raw: dict, key: str) -> tuple[str, ...]:
    """A list of lowercase situation words or phrases (`only_when`, `not_when`); a trailing * matches any ending."""
    phrases = raw.get(key) or []
    if not is_phrase_list(phrases):
        raise CardError(f"{key} must be a list of lowercase words or phrases, e.g. [hangover*, sickie*, suspect*]")
    return tuple(phrases)


def _staff(value: object) -> tuple[int, int | None] | None:
    if value is None:
        return None
    valid = (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and (value[1] is None or (isinstance(value[1], int) and value[1] >= value[0]))
        and value[0] >= 0
    )
    if not valid:
        raise CardError("staff must be [fewest, most] staff numbers, e.g. [0, 49] or [250, null]")
    return value[0], value[1]


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CardError(f"{key} must be text")
    return " ".join(value.split())


def _texts(raw: dict, key: str) -> tuple[str, ...]:
    value = raw.get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CardError(f"{key} must be a list of text")
    return tuple(" ".join(v.split()) for v in value)


def _date(raw: dict, key: str) -> str:
    value = raw.get(key)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError as exc:
        raise CardError(f"{key} must be a real date like 2026-12-01 (got {value!r})") from exc
