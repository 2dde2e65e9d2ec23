"""The default answerer: builds a short answer only from retrieved sentences, each one cited."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from onestop.chunking import Chunk
from onestop.retrieve import Hit, Retriever, expand_query, resolve_follow_up
from onestop.text import long_date, sentences, tokens

MAX_SENTENCES = 6
# Calibrated on the dev split of tests/eval/questions.jsonl (see `onestop eval` and the README).
REFUSAL_THRESHOLD = 0.48
MIN_SENTENCE_SIMILARITY = 0.25
MMR_LAMBDA = 0.75
OVERLAP_WEIGHT = 0.15  # share of the question's words a sentence repeats
RANK_BONUS = 0.04  # sentences from better-ranked chunks win ties
CHUNK_WEIGHT = 1.0  # tuned on the dev split: same fact recall, better citation precision
FLOOR_BELOW_BEST = 0.2  # keep only sentences nearly as relevant as the best one
HELP_TOPIC = "getting-help"
NOT_COVERED = (
    "onestop's guidance does not cover this question, so it will not guess. "
    "These services can help:"
)
_INSTRUCTIONS = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,30}\b(previous|prior|above|all|earlier)\b.{0,20}\b(instructions?|prompts?|rules)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bas an ai\b|\b(new|updated) instructions?\s*:",
    re.I,
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
        }


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

    def to_json(self) -> dict:
        """The `onestop ask --json` contract."""
        return {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "notices": list(self.notices),
        }


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved chunk that might go into the answer."""

    text: str
    hit_rank: int
    position: int
    hit: Hit


def clean_question(question: str, max_chars: int) -> tuple[str, tuple[str, ...]]:
    """Normalise a typed question: drop control characters, collapse spaces, truncate very long text."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question or "")
    text = " ".join(text.split())
    notices: tuple[str, ...] = ()
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
        notices = (f"Your question was very long, so only its first {max_chars:,} characters were used.",)
    return text, notices


def is_signpost_to_the_document(sentence: str) -> bool:
    """True for sentences about the guide itself ('This guide explains ...'), which answer nothing."""
    return bool(_ABOUT_THE_GUIDE.match(sentence))


def looks_like_instructions(sentence: str) -> bool:
    """True for text aimed at an AI rather than a reader (a prompt-injection attempt in a document)."""
    return bool(_INSTRUCTIONS.search(sentence))


def candidates(hits: Sequence[Hit]) -> list[Candidate]:
    """Every answer-worthy sentence of the retrieved chunks (never text addressed to an AI)."""
    found = []
    for rank, hit in enumerate(hits):
        for position, sentence in enumerate(sentences(hit.chunk.text)):
            if (
                len(sentence.split()) >= 5
                and not sentence.startswith("#")
                and not looks_like_instructions(sentence)
                and not is_signpost_to_the_document(sentence)
            ):
                found.append(Candidate(sentence, rank, position, hit))
    return found


def select_sentences(
    question_vector: np.ndarray, question_tokens: set[str], pool: list[Candidate], vectors: np.ndarray
) -> list[int]:
    """Pick up to MAX_SENTENCES relevant, non-redundant sentences (maximal marginal relevance)."""
    if not pool:
        return []
    relevance = vectors @ question_vector
    overlap = np.array(
        [len(question_tokens & set(tokens(c.text))) / max(1, len(question_tokens)) for c in pool]
    )
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
    """Write the chosen sentences grouped by source (most relevant source first), in reading order."""
    source_order: dict[str, int] = {}
    for i in chosen:  # `chosen` is best-first, so a source's place is set by its best sentence
        source_order.setdefault(pool[i].hit.chunk.id, len(source_order))
    ordered = sorted(chosen, key=lambda i: (source_order[pool[i].hit.chunk.id], pool[i].position))
    numbers: dict[str, int] = {}
    snippets: dict[str, list[str]] = {}
    paragraphs: list[list[str]] = []
    last_chunk = None
    for i in ordered:
        candidate = pool[i]
        chunk_id = candidate.hit.chunk.id
        n = numbers.setdefault(chunk_id, len(numbers) + 1)
        snippets.setdefault(chunk_id, []).append(candidate.text)
        if chunk_id != last_chunk:
            paragraphs.append([])
            last_chunk = chunk_id
        paragraphs[-1].append(f"{candidate.text} [{n}]")
    hits = {pool[i].hit.chunk.id: pool[i].hit for i in ordered}
    citations = tuple(
        Citation(n, hits[chunk_id].chunk, " ".join(snippets[chunk_id]), hits[chunk_id].dense or hits[chunk_id].score)
        for chunk_id, n in numbers.items()
    )
    return "\n\n".join(" ".join(p) for p in paragraphs), citations


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

    def ask(
        self, question: str, history: Sequence[str] = (), topics: Sequence[str] = (), k: int = 5
    ) -> Answer:
        """Answer a question (resolving follow-ups against earlier questions in `history`)."""
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
        """Build the cited extractive answer from the given hits."""
        pool = candidates(hits)
        if not pool:
            return self.refuse(question, resolved, notices)
        query = expand_query(resolved, self.retriever.glossary)
        question_vector = np.array(self.retriever.embeddings.embed_query(query))
        vectors = np.array(self.retriever.embeddings.embed_many_cached([c.text for c in pool]))
        chosen = select_sentences(question_vector, set(tokens(query)), pool, vectors)
        if not chosen:
            return self.refuse(question, resolved, notices)
        body, citations = compose(pool, chosen)
        return Answer(question, body, False, citations, notices + date_notices(citations), hits=tuple(hits))

    def refuse(self, question: str, resolved: str, notices: tuple[str, ...] = ()) -> Answer:
        """Say plainly the guidance does not cover the question, and cite where to get help."""
        help_query = f"free advice helpline for employers: {resolved}"
        help_hits = self.retriever.hybrid(help_query, 4, [HELP_TOPIC])
        pool = [c for c in candidates(help_hits) if _SIGNPOST.search(c.text)] or candidates(help_hits)
        if not pool:
            return Answer(question, NOT_COVERED.rstrip(":") + ".", True, (), notices)
        vectors = np.array(self.retriever.embeddings.embed_many_cached([c.text for c in pool]))
        query = np.array(self.retriever.embeddings.embed_query(help_query))
        chosen = select_sentences(query, set(tokens(help_query)), pool, vectors)[:3] or [0]
        body, citations = compose(pool, chosen)
        return Answer(question, f"{NOT_COVERED}\n\n{body}", True, citations, notices, hits=tuple(help_hits))

