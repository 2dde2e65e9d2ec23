"""The default answerer: builds a short answer only from retrieved sentences, each one cited."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from onestop.chunking import Chunk
from onestop.errors import StoreError
from onestop.questions import clean_question, resolve_follow_up
from onestop.retrieve import Hit, Retriever, expand_query
from onestop.text import Unit, long_date, tokens, units

MAX_SENTENCES = 4
MAX_LIST_ITEMS = 6
SECOND_SOURCE_MARGIN = 0.1  # a second source only when its sentence is nearly as relevant as the best
# Calibrated on the dev split of tests/eval/questions.jsonl (see `onestop eval` and the README).
REFUSAL_THRESHOLD = 0.48
MIN_SENTENCE_SIMILARITY = 0.25
MMR_LAMBDA = 0.75
OVERLAP_WEIGHT = 0.15  # share of the question's words a sentence repeats
RANK_BONUS = 0.04  # sentences from better-ranked chunks win ties
CHUNK_WEIGHT = 1.0  # tuned on the dev split: same fact recall, better citation precision
FLOOR_BELOW_BEST = 0.2  # keep only sentences nearly as relevant as the best one
HELP_TOPIC = "getting-help"
HELP_QUERY = "free impartial advice for employers: the Acas helpline"
NOT_COVERED = "onestop's guidance does not cover this question, so it will not guess. These services can help."
_INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,30}\b(previous|prior|above|all|earlier)\b.{0,20}\b(instructions?|prompts?|rules)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bas an ai\b|\b(new|updated) instructions?\s*:",
    re.I,
)
# A lead-in promises a list: it is only shown with at least two of its items.
_LEAD_IN = re.compile(r"(:|\b(?:include|includes|including|the following|such as|for example)[.:]?)$", re.I)
# A sentence whose first words point back to something said before it.
_DANGLING = re.compile(
    r"^(this|that|these|those|it|they|such|in that case|in this case|if so|if not|otherwise|however|also|as a result)\b", re.I
)
_ABOUT_THE_GUIDE = re.compile(r"^(This|Our) (guide|page|document|section)\b", re.I)
# A signpost sentence names a way to get help: a phone number or a web address.
_SIGNPOST = re.compile(r"\b0\d{3} ?\d{3} ?\d{4}\b|\bwww\.|https?://|GOV\.UK", re.I)


@dataclass(frozen=True)
class Citation:
    """A numbered source behind part of an answer."""

    n: int
    chunk: Chunk
    snippet: str
    score: float
    card_id: str | None = None  # set when the citation backs an answer card

    def to_json(self) -> dict:
        """The citation as in the `onestop ask --json` contract (plus publisher and dates)."""
        c = self.chunk
        return {
            "n": self.n,
            "title": c.title,
            "section": c.section,
            "url": c.url,
            "source_file": c.source_file,
            "page": c.page,
            "topics": list(c.topics),
            "last_reviewed": c.last_reviewed,
            "snippet": self.snippet,
            "score": round(float(self.score), 4),
            "publisher": c.publisher,
            "applies_from": c.applies_from,
            "applies_until": c.applies_until,
            "anchor": c.anchor,
            "card_id": self.card_id,
        }


@dataclass(frozen=True)
class Part:
    """One part of a (possibly multi-part) question and the card that answered it."""

    label: str
    card_id: str | None
    score: float

    def to_json(self) -> dict:
        """The part as in `onestop ask --json`."""
        return {"label": self.label, "card_id": self.card_id, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Answer:
    """An answer whose `[n]` markers refer to `citations[n-1]`."""

    question: str
    text: str
    refused: bool
    citations: tuple[Citation, ...]
    notices: tuple[str, ...] = ()
    flagged: bool = False  # an LLM answer had citations removed by validation
    hits: tuple[Hit, ...] = field(default=(), compare=False)
    parts: tuple[Part, ...] = ()
    near_miss: bool = False  # the evidence was moderate: the closest questions are offered instead
    suggestions: tuple[str, ...] = ()  # questions of the closest or related cards
    related: tuple[str, ...] = ()  # ids of cards related to the ones used
    referral: str | None = None  # an out-of-scope subject the question named (corpus/referrals.yaml id)

    def to_json(self) -> dict:
        """The `onestop ask --json` contract (earlier fields kept; parts, near_miss and suggestions added)."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "notices": list(self.notices),
            "parts": [p.to_json() for p in self.parts],
            "near_miss": self.near_miss,
            "suggestions": list(self.suggestions),
            "referral": self.referral,
        }


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved chunk that might go into the answer."""

    text: str
    hit_rank: int
    position: int
    hit: Hit
    is_item: bool = False


def is_signpost_to_the_document(sentence: str) -> bool:
    """True for sentences about the guide itself ('This guide explains ...'), which answer nothing."""
    return bool(_ABOUT_THE_GUIDE.match(sentence))


def looks_like_instructions(sentence: str) -> bool:
    """True for text aimed at an AI rather than a reader (a prompt-injection attempt in a document)."""
    return bool(_INSTRUCTIONS.search(sentence))


def candidates(hits: Sequence[Hit]) -> list[Candidate]:
    """Every answer-worthy sentence and list item of the retrieved chunks (never text addressed to an AI)."""
    found = []
    for rank, hit in enumerate(hits):
        for position, unit in enumerate(units(hit.chunk.text)):
            if (
                (len(unit.text.split()) >= 5 or unit.is_item)
                and not unit.text.startswith("#")
                and not looks_like_instructions(unit.text)
                and not is_signpost_to_the_document(unit.text)
            ):
                found.append(Candidate(unit.text, rank, position, hit, unit.is_item))
    return found


def complete(pool: list[Candidate], chosen: list[int]) -> list[int]:
    """Make chosen sentences stand alone: lead-ins keep their list items, items their lead-in,
    and a sentence pointing back ('This means…') keeps the sentence before it or is dropped."""
    where = {(c.hit.chunk.id, c.position): i for i, c in enumerate(pool)}
    result: list[int] = []

    def add(i: int) -> None:
        if i not in result:
            result.append(i)

    for i in chosen:
        candidate = pool[i]
        chunk_units = units(candidate.hit.chunk.text)
        key = candidate.hit.chunk.id
        if candidate.is_item:  # an item is shown under its lead-in, with its neighbours
            lead = next((p for p in range(candidate.position - 1, -1, -1) if not chunk_units[p].is_item), None)
            if lead is None or (key, lead) not in where:
                continue
            i = where[(key, lead)]
            candidate = pool[i]
        if _LEAD_IN.search(candidate.text):
            items = _items_after(chunk_units, candidate.position)
            item_ids = [where[(key, p)] for p in items if (key, p) in where][:MAX_LIST_ITEMS]
            if len(item_ids) < 2:
                continue  # never a lead-in without its list
            add(i)
            for item in item_ids:
                add(item)
            continue
        if _DANGLING.match(candidate.text):
            before = candidate.position - 1
            if (
                before < 0
                or chunk_units[before].is_item
                or (key, before) not in where
                or _DANGLING.match(chunk_units[before].text)
            ):
                continue  # what it points to is not in the quote: leave it out
            add(where[(key, before)])
        add(i)
    return result


def _items_after(chunk_units: list[Unit], position: int) -> list[int]:
    items = []
    for p in range(position + 1, len(chunk_units)):
        if not chunk_units[p].is_item:
            break
        items.append(p)
    return items


def select_sentences(
    question_vector: np.ndarray, question_tokens: set[str], pool: list[Candidate], vectors: np.ndarray
) -> list[int]:
    """Pick up to MAX_SENTENCES relevant, non-redundant sentences (maximal marginal relevance)."""
    if not pool:
        return []
    relevance = vectors @ question_vector
    overlap = np.array([len(question_tokens & set(tokens(c.text))) / max(1, len(question_tokens)) for c in pool])
    rank_bonus = np.array([RANK_BONUS / (1 + c.hit_rank) for c in pool])
    chunk_relevance = np.array([c.hit.dense or 0.0 for c in pool])  # a sentence inherits some of its section's fit
    score = relevance + OVERLAP_WEIGHT * overlap + rank_bonus + CHUNK_WEIGHT * chunk_relevance
    floor = max(MIN_SENTENCE_SIMILARITY, float(relevance.max()) - FLOOR_BELOW_BEST)
    chosen: list[int] = []
    while len(chosen) < MAX_SENTENCES:
        best, best_value = None, -np.inf
        for i in range(len(pool)):
            if i in chosen or relevance[i] < floor:
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if redundancy > 0.9:
                continue
            value = MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * redundancy
            if value > best_value:
                best, best_value = i, value
        if best is None:
            break
        chosen.append(best)
    return chosen


def compose(pool: list[Candidate], chosen: list[int]) -> tuple[str, tuple[Citation, ...]]:
    """Write the chosen sentences grouped by source (most relevant source first), in reading order.

    List items are written as a list under their lead-in; each source's text ends with its marker.
    """
    source_order: dict[str, int] = {}
    for i in chosen:  # `chosen` is best-first, so a source's place is set by its best sentence
        source_order.setdefault(pool[i].hit.chunk.id, len(source_order))
    ordered = sorted(chosen, key=lambda i: (source_order[pool[i].hit.chunk.id], pool[i].position))
    numbers: dict[str, int] = {}
    snippets: dict[str, list[str]] = {}
    blocks: list[list[str]] = []  # per source: lines, where a line is prose or one list item
    last_chunk = None
    for i in ordered:
        candidate = pool[i]
        chunk_id = candidate.hit.chunk.id
        n = numbers.setdefault(chunk_id, len(numbers) + 1)
        snippets.setdefault(chunk_id, []).append(candidate.text)
        if chunk_id != last_chunk:
            blocks.append([])
            last_chunk = chunk_id
        lines = blocks[-1]
        if candidate.is_item:
            lines.append(f"- {candidate.text.rstrip('.;')} [{n}]")
        elif lines and not lines[-1].startswith("- "):
            lines[-1] += f" {candidate.text} [{n}]"
        else:
            lines.append(f"{candidate.text} [{n}]")
    hits = {pool[i].hit.chunk.id: pool[i].hit for i in ordered}
    citations = tuple(
        Citation(n, hits[chunk_id].chunk, " ".join(snippets[chunk_id]), hits[chunk_id].dense or hits[chunk_id].score)
        for chunk_id, n in numbers.items()
    )
    return "\n\n".join("\n".join(lines) for lines in blocks), citations


def evidence_strength(hits: Sequence[Hit]) -> float:
    """How well the best retrieved chunk matches the question (its cosine similarity)."""
    return max((h.dense or 0.0 for h in hits), default=0.0)


def date_notices(citations: Sequence[Citation], today: dt.date | None = None) -> tuple[str, ...]:
    """Warn when a cited section describes rules that have ended or not started yet."""
    today = today or dt.date.today()
    notices = []
    for citation in citations:
        chunk = citation.chunk
        if chunk.applies_until and dt.date.fromisoformat(chunk.applies_until) < today:
            notices.append(f"Source [{citation.n}] describes rules that applied until {long_date(chunk.applies_until)}.")
        if chunk.applies_from and dt.date.fromisoformat(chunk.applies_from) > today:
            notices.append(f"Source [{citation.n}] describes rules that apply from {long_date(chunk.applies_from)}.")
    return tuple(notices)


class ExtractiveAnswerer:
    """Answers from retrieved text only, or refuses and signposts when the evidence is weak."""

    def __init__(self, retriever: Retriever, max_question_chars: int = 2000) -> None:
        self.retriever = retriever
        self.max_question_chars = max_question_chars

    def ask(self, question: str, history: Sequence[str] = (), topics: Sequence[str] = (), k: int = 5) -> Answer:
        """Answer a question from the guidance sections alone (resolving an explicit follow-up)."""
        text, notices = clean_question(question, self.max_question_chars)
        if not tokens(text):
            return Answer(question, "Please type a question about employing or supporting someone.", True, (), notices)
        resolved = resolve_follow_up(text, history)
        hits = self.retriever.hybrid(resolved, k, topics)
        return self.respond(question, resolved, hits, notices)

    def respond(self, question: str, resolved: str, hits: Sequence[Hit], notices: tuple[str, ...] = ()) -> Answer:
        """Answer from these hits, or refuse when even the best of them is weak evidence."""
        if evidence_strength(hits) < REFUSAL_THRESHOLD:
            return self.refuse(question, resolved, notices)
        return self.answer_from(question, resolved, hits, notices)

    def answer_from(self, question: str, resolved: str, hits: Sequence[Hit], notices: tuple[str, ...] = ()) -> Answer:
        """Build the cited extractive answer: the best section's opening, then its most relevant sentences and whole lists."""
        pool = candidates(hits)
        if not pool:
            return self.refuse(question, resolved, notices)
        query = expand_query(resolved, self.retriever.glossary)
        question_vector = np.array(self.retriever.embeddings.embed_query(query))
        vectors = self.sentence_vectors(pool)
        chosen = select_sentences(question_vector, set(tokens(query)), pool, vectors)
        if not chosen:
            return self.refuse(question, resolved, notices)
        relevance = vectors @ question_vector
        best_chunk = pool[chosen[0]].hit.chunk.id
        best = float(relevance[chosen[0]])
        chosen = [i for i in chosen if pool[i].hit.chunk.id == best_chunk or relevance[i] >= best - SECOND_SOURCE_MARGIN]
        opening = next((i for i, c in enumerate(pool) if c.hit.chunk.id == best_chunk and not c.is_item), None)
        if opening is not None and opening not in chosen and pool[opening].position == 0:
            chosen.insert(1, opening)
        chosen = complete(pool, chosen)
        if not chosen:
            return self.refuse(question, resolved, notices)
        body, citations = compose(pool, chosen)
        return Answer(question, body, False, citations, notices + date_notices(citations), hits=tuple(hits))

    def sentence_vectors(self, pool: list[Candidate]) -> np.ndarray:
        """Vectors of the candidate sentences: stored at ingest; embedded now only if missing."""
        chunks = list({c.hit.chunk.id: c.hit.chunk for c in pool}.values())
        try:
            stored = self.retriever.sentence_vectors(chunks)
        except StoreError:
            stored = {}
        missing = [c.text for c in pool if c.text not in stored.get(c.hit.chunk.id, {})]
        extra = dict(zip(missing, self.retriever.embeddings.embed_many_cached(missing))) if missing else {}
        return np.array([stored.get(c.hit.chunk.id, {}).get(c.text) or extra[c.text] for c in pool], dtype=np.float32)

    def refuse(self, question: str, resolved: str, notices: tuple[str, ...] = ()) -> Answer:
        """Say plainly the guidance does not cover the question, and cite where to get help."""
        help_query = HELP_QUERY  # not the question: its words would pull in unrelated helplines
        help_hits = self.retriever.hybrid(help_query, 4, [HELP_TOPIC])
        pool = [c for c in candidates(help_hits) if _SIGNPOST.search(c.text) and not c.is_item] or candidates(help_hits)
        if not pool:
            return Answer(question, NOT_COVERED.rstrip(":") + ".", True, (), notices)
        vectors = self.sentence_vectors(pool)
        query = np.array(self.retriever.embeddings.embed_query(help_query))
        chosen = complete(pool, select_sentences(query, set(tokens(help_query)), pool, vectors)[:1]) or [0]
        body, citations = compose(pool, chosen)
        return Answer(question, f"{NOT_COVERED}\n\n{body}", True, citations, notices, hits=tuple(help_hits))
