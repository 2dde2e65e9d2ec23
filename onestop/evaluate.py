"""Evaluation: retrieval and answer quality of onestop against BM25 and plain dense baselines."""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onestop.answer import Answer, evidence_strength
from onestop.questions import clean_question
from onestop.errors import OneStopError
from onestop.pipeline import Pipeline
from onestop.retrieve import Hit

SYSTEMS = ("bm25", "dense", "onestop")
SYSTEM_LABELS = {
    "bm25": "BM25 alone",
    "dense": "Dense alone (LangChain Chroma similarity search)",
    "onestop": "onestop (hybrid + glossary)",
}


@dataclass(frozen=True)
class Question:
    """One line of a questions file."""

    id: str
    question: str
    split: str
    answerable: bool
    expect_files: tuple[str, ...] = ()
    expect_topics: tuple[str, ...] = ()
    expect_facts: tuple[str, ...] = ()

    def is_relevant(self, source_file: str, topics: Sequence[str]) -> bool:
        """Whether a retrieved chunk counts as a hit: by file when files are given, else by topic."""
        if self.expect_files:
            return source_file in self.expect_files
        return bool(set(topics) & set(self.expect_topics))


@dataclass
class Outcome:
    """What one system did with one question."""

    retrieved: list[dict]
    rank: int | None  # 1-based rank of the first relevant chunk, None when none was retrieved
    answer: str
    refused: bool
    facts_matched: list[str]
    cited_relevant: int
    cited_total: int
    strength: float
    seconds: float = 0.0


@dataclass
class Report:
    """Metrics per system and outcomes per question."""

    k: int
    split: str | None
    systems: dict[str, dict] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        """The `onestop eval --json` document."""
        return {"k": self.k, "split": self.split, "systems": self.systems, "questions": self.questions}


def load_questions(path: Path, split: str | None = None) -> list[Question]:
    """Read a JSON Lines questions file, with a clear error naming any bad line."""
    questions = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise OneStopError(f"Cannot read the questions file {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            question = Question(
                id=str(data["id"]),
                question=str(data["question"]),
                split=str(data.get("split", "dev")),
                answerable=bool(data["answerable"]),
                expect_files=tuple(data.get("expect_files") or ()),
                expect_topics=tuple(data.get("expect_topics") or ()),
                expect_facts=tuple(data.get("expect_facts") or ()),
            )
            for pattern in question.expect_facts:
                re.compile(pattern)
        except (json.JSONDecodeError, KeyError, TypeError, re.error) as exc:
            raise OneStopError(f"{path}, line {number}: {type(exc).__name__}: {exc}") from exc
        if question.answerable and not (question.expect_files or question.expect_topics):
            raise OneStopError(f"{path}, line {number}: an answerable question needs expect_files or expect_topics")
        questions.append(question)
    return [q for q in questions if split is None or q.split == split]


def retrievers(pipeline: Pipeline) -> dict[str, Callable[[str, int], list[Hit]]]:
    """The three systems compared, all on the same index and model."""
    r = pipeline.retriever
    return {
        "bm25": lambda q, k: r.with_similarity(q, r.lexical(q, k)),
        "dense": lambda q, k: r.dense_baseline(q, k),
        "onestop": lambda q, k: r.hybrid(q, k),
    }


def run_question(pipeline: Pipeline, retrieve: Callable[[str, int], list[Hit]], question: Question, k: int) -> Outcome:
    """Retrieve and answer one question with one system, timing the whole answer."""
    started = time.perf_counter()
    text, notices = clean_question(question.question, pipeline.settings.max_question_chars)
    hits = retrieve(text, max(k, 10))
    answer: Answer = pipeline.answerer.respond(question.question, text, hits[:k], notices)
    seconds = time.perf_counter() - started
    rank = next((i for i, h in enumerate(hits, start=1) if question.is_relevant(h.chunk.source_file, h.chunk.topics)), None)
    matched = [p for p in question.expect_facts if re.search(p, answer.text, re.I)]
    cited = [c.chunk for c in answer.citations] if not answer.refused else []
    return Outcome(
        retrieved=[{"source_file": h.chunk.source_file, "topics": list(h.chunk.topics)} for h in hits[:k]],
        rank=rank,
        answer=answer.text,
        refused=answer.refused,
        facts_matched=matched,
        cited_relevant=sum(question.is_relevant(c.source_file, c.topics) for c in cited),
        cited_total=len(cited),
        strength=evidence_strength(hits[:k]),
        seconds=seconds,
    )


def metrics(questions: Sequence[Question], outcomes: Sequence[Outcome], k: int) -> dict:
    """hit@1, hit@k, MRR, fact recall, citation precision, refusal precision/recall, latency."""
    answerable = [(q, o) for q, o in zip(questions, outcomes) if q.answerable]
    out_of_scope = [(q, o) for q, o in zip(questions, outcomes) if not q.answerable]
    refused = [(q, o) for q, o in zip(questions, outcomes) if o.refused]
    facts_total = sum(len(q.expect_facts) for q, _ in answerable)
    cited_total = sum(o.cited_total for _, o in answerable)
    latencies = sorted(o.seconds for o in outcomes)

    def share(n: int, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "questions": len(questions),
        "answerable": len(answerable),
        "out_of_scope": len(out_of_scope),
        "hit@1": share(sum(o.rank == 1 for _, o in answerable), len(answerable)),
        f"hit@{k}": share(sum(o.rank is not None and o.rank <= k for _, o in answerable), len(answerable)),
        "mrr": share(sum(1 / o.rank for _, o in answerable if o.rank), len(answerable)) if answerable else None,
        "fact_recall": share(sum(len(o.facts_matched) for _, o in answerable), facts_total),
        "citation_precision": share(sum(o.cited_relevant for _, o in answerable), cited_total),
        "answered_rate": share(sum(not o.refused for _, o in answerable), len(answerable)),
        "refusal_precision": share(sum(not q.answerable for q, _ in refused), len(refused)),
        "refusal_recall": share(sum(o.refused for _, o in out_of_scope), len(out_of_scope)),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1) if latencies else None,
    }


def evaluate(pipeline: Pipeline, questions: Sequence[Question], k: int = 5, split: str | None = None,
             systems: Sequence[str] = SYSTEMS) -> Report:
    """Run every system on every question (one process, one model) and collect the metrics."""
    report = Report(k=k, split=split)
    available = retrievers(pipeline)
    per_question: list[dict] = [
        {"id": q.id, "question": q.question, "split": q.split, "answerable": q.answerable, "systems": {}}
        for q in questions
    ]
    for name in systems:
        pipeline.embeddings.clear_cache()  # every system starts equally cold
        outcomes = [run_question(pipeline, available[name], q, k) for q in questions]
        report.systems[name] = metrics(questions, outcomes, k)
        for row, outcome in zip(per_question, outcomes):
            row["systems"][name] = {
                "retrieved": outcome.retrieved,
                "rank": outcome.rank,
                "answer": outcome.answer,
                "refused": outcome.refused,
                "facts_matched": outcome.facts_matched,
                "evidence": round(outcome.strength, 4),
            }
    report.questions = per_question
    return report


def calibrate_refusal(report: Report, system: str = "onestop") -> tuple[float, float]:
    """The evidence threshold that best separates answerable from out-of-scope questions (balanced accuracy)."""
    scored = [(row["systems"][system]["evidence"], row["answerable"]) for row in report.questions]
    positives = sum(a for _, a in scored)
    negatives = len(scored) - positives
    if not positives or not negatives:
        raise OneStopError("Calibration needs both answerable and out-of-scope questions.")
    best = (0.0, 0.0)
    for threshold in sorted({round(s, 3) for s, _ in scored}):
        kept = sum(s >= threshold and a for s, a in scored) / positives
        refused = sum(s < threshold and not a for s, a in scored) / negatives
        balanced = (kept + refused) / 2
        if balanced > best[1]:
            best = (threshold, balanced)
    return best


def format_table(report: Report) -> str:
    """The systems side by side as a Markdown table."""
    names = list(report.systems)
    keys = list(next(iter(report.systems.values())).keys()) if names else []
    lines = ["| metric | " + " | ".join(SYSTEM_LABELS.get(n, n) for n in names) + " |",
             "| --- |" + " --- |" * len(names)]
    for key in keys:
        cells = [report.systems[n][key] for n in names]
        lines.append(f"| {key} | " + " | ".join("–" if c is None else f"{c:g}" for c in cells) + " |")
    return "\n".join(lines)
