"""Evaluation: retrieval and answer quality of onestop against BM25 and plain dense baselines."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from onestop.answer import Answer
from onestop.compose import CardAnswerer, Thresholds
from onestop.errors import OneStopError
from onestop.pipeline import Pipeline
from onestop.retrieve import Hit

# Every system answers through Pipeline.ask; only the retrieval/answering strategy differs.
SYSTEMS = ("onestop", "sections", "dense")
SYSTEM_ANSWERING = {"onestop": "cards", "sections": "sections", "dense": "dense"}
SYSTEM_LABELS = {
    "onestop": "onestop (answer cards + sections)",
    "sections": "without cards (hybrid sections)",
    "dense": "tutorial dense top-k",
}
EVAL_TODAY = dt.date(2026, 11, 30)  # answers are dated: evaluation always asks "as of" this day
BOOTSTRAP_SAMPLES = 2000
_LEAD_IN = re.compile(r"(:|\b(?:include|includes|the following)\.?)\s*(\[\d+\])*\s*$", re.I)


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
    parts: tuple[tuple[str, ...], ...] = ()  # for multi-part questions: key-fact patterns per part
    today: dt.date | None = None  # the day the question was written "as of", when it says "today" or "yesterday"

    def is_relevant(self, source_file: str, topics: Sequence[str]) -> bool:
        """Whether a retrieved chunk counts as a hit: by file when files are given, else by topic."""
        if self.expect_files:
            return source_file in self.expect_files
        return bool(set(topics) & set(self.expect_topics))


@dataclass
class Outcome:
    """What one system did with one question."""

    answer: str
    refused: bool
    near_miss: bool
    facts_matched: list[str]
    first_sentence_fact: bool
    parts_covered: int
    cited_files: list[str]
    cited_relevant: int
    cited_total: int
    card_ids: list[str]
    seconds: float = 0.0

    def to_json(self) -> dict:
        """The outcome as in `onestop eval --json`."""
        return asdict(self)


@dataclass
class Report:
    """Metrics per system and outcomes per question."""

    k: int
    split: str | None
    systems: dict[str, dict] = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)
    comparison: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The `onestop eval --json` document."""
        return {
            "k": self.k,
            "split": self.split,
            "systems": self.systems,
            "questions": self.questions,
            "comparison": self.comparison,
        }


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
                parts=tuple(tuple(part) for part in data.get("parts") or ()),
                today=dt.date.fromisoformat(data["today"]) if data.get("today") else None,
            )
            for pattern in question.expect_facts + tuple(p for part in question.parts for p in part):
                re.compile(pattern)
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise OneStopError(f"{path}, line {number}: {type(exc).__name__}: {exc}") from exc
        if question.answerable and not (question.expect_files or question.expect_topics):
            raise OneStopError(f"{path}, line {number}: an answerable question needs expect_files or expect_topics")
        questions.append(question)
    return [q for q in questions if split is None or q.split == split]


def retrievers(pipeline: Pipeline) -> dict[str, Callable[[str, int], list[Hit]]]:
    """Retrieval alone, for comparing rankings: BM25, plain dense and onestop's hybrid."""
    r = pipeline.retriever
    return {
        "bm25": lambda q, k: r.with_similarity(q, r.lexical(q, k)),
        "dense": lambda q, k: r.dense_baseline(q, k),
        "onestop": lambda q, k: r.hybrid(q, k),
    }


def first_sentence(answer_text: str) -> str:
    """The first sentence a reader sees (after a bold part label), with its markers."""
    body = re.sub(r"^\*\*[^*\n]+\*\*\s*\n", "", answer_text.strip())
    match = re.match(r"(.+?[.!?])(\s*\[\d+\])*(\s|$)", body, re.S)
    return match.group(0).strip() if match else body.split("\n", 1)[0]


def lead_ins_without_list(answer_text: str) -> list[str]:
    """Sentences ending in ':' or 'include(s)/the following' that are not followed by at least two list items."""
    lines = [line.strip() for line in answer_text.splitlines()]
    problems = []
    for index, line in enumerate(lines):
        if not line or line.startswith("- ") or not _LEAD_IN.search(re.sub(r"\*\*", "", line)):
            continue
        items = 0
        for following in lines[index + 1 :]:
            if not following and not items:
                continue  # a blank line between a lead-in and its list
            if not following.startswith("- "):
                break
            items += 1
        if items < 2:
            problems.append(line)
    return problems


def run_question(pipeline: Pipeline, question: Question, k: int, today: dt.date = EVAL_TODAY) -> Outcome:
    """Ask one question through Pipeline.ask (exactly what users get) as of its own day if it has one, timing the answer."""
    started = time.perf_counter()
    answer: Answer = pipeline.ask(question.question, k=k, today=question.today or today)
    seconds = time.perf_counter() - started
    answered = not answer.refused and not answer.near_miss
    text = answer.text if answered else ""
    matched = [p for p in question.expect_facts if re.search(p, text, re.I)]
    first = first_sentence(text) if text else ""
    cited = [c.chunk for c in answer.citations] if answered else []
    return Outcome(
        answer=answer.text,
        refused=answer.refused,
        near_miss=answer.near_miss,
        facts_matched=matched,
        first_sentence_fact=any(re.search(p, first, re.I) for p in question.expect_facts),
        parts_covered=sum(any(re.search(p, text, re.I) for p in part) for part in question.parts),
        cited_files=sorted({c.source_file for c in cited}),
        cited_relevant=sum(question.is_relevant(c.source_file, c.topics) for c in cited),
        cited_total=len(cited),
        card_ids=[part.card_id for part in answer.parts if part.card_id],
        seconds=seconds,
    )


def fact_recall(question: Question, outcome: Outcome) -> float:
    """Share of a question's key facts the answer states."""
    return len(outcome.facts_matched) / len(question.expect_facts) if question.expect_facts else 0.0


def metrics(questions: Sequence[Question], outcomes: Sequence[Outcome]) -> dict:
    """Answer-level quality: key facts, first sentence, parts, citations, refusals, near misses, latency."""
    pairs = list(zip(questions, outcomes))
    answerable = [(q, o) for q, o in pairs if q.answerable and q.expect_facts]
    out_of_scope = [(q, o) for q, o in pairs if not q.answerable]
    multi = [(q, o) for q, o in answerable if q.parts]
    cited_total = sum(o.cited_total for _, o in answerable)
    latencies = sorted(o.seconds for o in outcomes)

    def share(n: float, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "questions": len(questions),
        "in_scope": len(answerable),
        "out_of_scope": len(out_of_scope),
        "key_fact_recall": share(sum(fact_recall(q, o) for q, o in answerable), len(answerable)),
        "first_sentence_fact": share(sum(o.first_sentence_fact for _, o in answerable), len(answerable)),
        "part_coverage": share(sum(o.parts_covered for _, o in multi), sum(len(q.parts) for q, _ in multi)),
        "in_scope_refused_or_near_miss": share(sum(o.refused or o.near_miss for _, o in answerable), len(answerable)),
        "in_scope_near_miss": share(sum(o.near_miss for _, o in answerable), len(answerable)),
        "out_of_scope_refused": share(sum(o.refused for _, o in out_of_scope), len(out_of_scope)),
        "out_of_scope_declined": share(sum(o.refused or o.near_miss for _, o in out_of_scope), len(out_of_scope)),
        "citation_precision": share(sum(o.cited_relevant for _, o in answerable), cited_total),
        "lead_ins_without_list": sum(len(lead_ins_without_list(o.answer)) for o in outcomes),
        "latency_p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))], 1) if latencies else None,
    }


def evaluate(
    pipeline: Pipeline, questions: Sequence[Question], k: int = 5, split: str | None = None, systems: Sequence[str] = SYSTEMS
) -> Report:
    """Run every system on every question through Pipeline.ask (one process, one model) and collect the metrics."""
    report = Report(k=k, split=split)
    per_question: list[dict] = [
        {"id": q.id, "question": q.question, "split": q.split, "answerable": q.answerable, "systems": {}} for q in questions
    ]
    outcomes_by_system: dict[str, list[Outcome]] = {}
    for name in systems:
        pipeline.embeddings.clear_cache()  # every system starts equally cold
        variant = replace(pipeline, answering=SYSTEM_ANSWERING[name])
        outcomes = [run_question(variant, q, k) for q in questions]
        outcomes_by_system[name] = outcomes
        report.systems[name] = metrics(questions, outcomes)
        for row, outcome in zip(per_question, outcomes):
            row["systems"][name] = outcome.to_json()
    if "onestop" in outcomes_by_system and "sections" in outcomes_by_system:
        report.comparison = paired_bootstrap(questions, outcomes_by_system["onestop"], outcomes_by_system["sections"])
    report.questions = per_question
    return report


def paired_bootstrap(
    questions: Sequence[Question],
    ours: Sequence[Outcome],
    theirs: Sequence[Outcome],
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = 7,
) -> dict:
    """95 % paired bootstrap interval of the difference in answer-level key-fact recall (ours − theirs)."""
    diffs = [fact_recall(q, a) - fact_recall(q, b) for q, a, b in zip(questions, ours, theirs) if q.answerable and q.expect_facts]
    if not diffs:
        return {}
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(samples))
    return {
        "metric": "key_fact_recall (cards - no cards)",
        "mean": round(statistics.fmean(diffs), 4),
        "ci95": [round(means[int(0.025 * samples)], 4), round(means[int(0.975 * samples) - 1], 4)],
    }


CALIBRATION_GRID = {
    "card": (0.55, 0.6, 0.65, 0.7, 0.75),
    "card_sure": (0.7, 0.75, 0.8),
    "section": (0.55, 0.65),
    "near_miss_card": (0.5, 0.55),
}


def calibrate(pipeline: Pipeline, questions: Sequence[Question], k: int = 5) -> tuple[Thresholds, float]:
    """Thresholds that best balance key-fact recall (in scope) and declining (out of scope). Dev split only."""
    if any(q.split != "dev" for q in questions):
        raise OneStopError("Calibrate on the dev split only: the test split is reported, never tuned on.")
    best: tuple[Thresholds, float] = (pipeline.composer.thresholds, -1.0)
    grid = itertools.product(*(CALIBRATION_GRID[name] for name in ("card", "card_sure", "section", "near_miss_card")))
    for card, sure, section, near in grid:
        if near > card or sure < card:
            continue
        thresholds = Thresholds(card=card, card_sure=sure, section=section, near_miss_card=near, near_miss_section=near)
        variant = with_thresholds(pipeline, thresholds)
        m = metrics(questions, [run_question(variant, q, k) for q in questions])
        score = 0.5 * (m["key_fact_recall"] or 0) + 0.5 * (m["out_of_scope_declined"] or 0)
        if score > best[1]:
            best = (thresholds, score)
    return best


def with_thresholds(pipeline: Pipeline, thresholds: Thresholds) -> Pipeline:
    """A copy of the pipeline whose card answerer uses other thresholds (everything else shared)."""
    composer = CardAnswerer(
        pipeline.retriever,
        pipeline.answerer,
        pipeline.composer.rates,
        thresholds,
        pipeline.composer.referrals,
        pipeline.composer.scope,
    )
    return replace(pipeline, composer=composer)


def format_table(report: Report) -> str:
    """The systems side by side as a Markdown table, and the paired comparison."""
    names = list(report.systems)
    keys = list(next(iter(report.systems.values())).keys()) if names else []
    lines = ["| metric | " + " | ".join(SYSTEM_LABELS.get(n, n) for n in names) + " |", "| --- |" + " --- |" * len(names)]
    for key in keys:
        cells = [report.systems[n][key] for n in names]
        lines.append(f"| {key} | " + " | ".join("–" if c is None else f"{c:g}" for c in cells) + " |")
    if report.comparison:
        low, high = report.comparison["ci95"]
        lines.append(
            f"\nPaired bootstrap, {report.comparison['metric']}: mean {report.comparison['mean']:+.3f}, 95 % CI [{low:+.3f}, {high:+.3f}]."
        )
    return "\n".join(lines)
