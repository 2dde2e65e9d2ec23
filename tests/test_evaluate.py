"""Evaluation: the question file format, the metrics, and a fast quality gate on the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onestop.errors import OneStopError
from onestop.evaluate import Outcome, Question, Report, calibrate_refusal, evaluate, load_questions, metrics, retrievers

QUESTIONS = Path(__file__).parent / "eval" / "questions.jsonl"
# Measured on the subset below (every other test question, 2026-11-30): onestop hit@5 1.00, MRR 0.94,
# fact recall 0.56, answered 0.89, refusal recall 1.0 (plain dense on the same subset: MRR 0.96).
# The gates sit a little below, so noise does not fail CI but a real regression does.
GATES = {"hit@5": 0.93, "mrr": 0.85, "fact_recall": 0.45, "answered_rate": 0.8, "refusal_recall": 0.75}


def outcome(rank, refused=False, facts=(), cited=(0, 0), strength=0.6) -> Outcome:
    return Outcome([], rank, "answer", refused, list(facts), cited[0], cited[1], strength, 0.01)


def test_shipped_question_file_is_valid_and_big_enough() -> None:
    questions = load_questions(QUESTIONS)
    answerable = [q for q in questions if q.answerable]
    assert len(answerable) >= 80 and len(questions) - len(answerable) >= 15
    assert {q.split for q in questions} == {"dev", "test"}
    corpus = Path(__file__).parents[1] / "corpus"
    assert all((corpus / f).is_file() for q in questions for f in q.expect_files)


def test_bad_question_lines_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "q", "answerable": True, "expect_files": ["x.md"]}) + "\n{broken\n")
    with pytest.raises(OneStopError, match="line 2"):
        load_questions(path)
    path.write_text(json.dumps({"id": "a", "question": "q", "answerable": True}) + "\n")
    with pytest.raises(OneStopError, match="needs expect_files or expect_topics"):
        load_questions(path)


def test_files_take_precedence_over_topics() -> None:
    question = Question("a", "q", "dev", True, ("fit-notes.md",), ("fit-notes",), ())
    assert question.is_relevant("fit-notes.md", ())
    assert not question.is_relevant("fit-notes-acting-on-advice.md", ("fit-notes",))
    by_topic = Question("b", "q", "dev", True, (), ("fit-notes",), ())
    assert by_topic.is_relevant("anything.md", ("fit-notes",))


def test_metrics_by_hand() -> None:
    questions = [
        Question("1", "q", "dev", True, ("a.md",), (), ("x", "y")),
        Question("2", "q", "dev", True, ("a.md",), (), ("z",)),
        Question("3", "q", "dev", False),
        Question("4", "q", "dev", False),
    ]
    outcomes = [outcome(1, facts=["x"], cited=(2, 2)), outcome(3, cited=(1, 2)), outcome(None, refused=True), outcome(None)]
    m = metrics(questions, outcomes, 5)
    assert m["hit@1"] == 0.5 and m["hit@5"] == 1.0 and m["mrr"] == round((1 + 1 / 3) / 2, 4)
    assert m["fact_recall"] == round(1 / 3, 4) and m["citation_precision"] == 0.75
    assert m["refusal_precision"] == 1.0 and m["refusal_recall"] == 0.5


def test_calibration_picks_the_separating_threshold() -> None:
    report = Report(k=5, split=None)
    for evidence, answerable in [(0.7, True), (0.6, True), (0.45, True), (0.3, False), (0.4, False)]:
        report.questions.append({"answerable": answerable, "systems": {"onestop": {"evidence": evidence}}})
    threshold, balanced = calibrate_refusal(report)
    assert threshold == 0.45 and balanced == 1.0


@pytest.mark.slow
def test_quality_gate_on_a_fast_subset(corpus_pipeline) -> None:
    subset = load_questions(QUESTIONS, split="test")[::2]
    report = evaluate(corpus_pipeline, subset, k=5, systems=("dense", "onestop"))
    ours, dense = report.systems["onestop"], report.systems["dense"]
    failing = {name: ours[name] for name, floor in GATES.items() if ours[name] < floor}
    assert not failing, f"below the quality gates {GATES}: {failing}"
    assert ours["mrr"] >= dense["mrr"] - 0.05  # a half split is noisy; the full comparison is below
    row = report.questions[0]["systems"]["onestop"]
    assert {"retrieved", "answer", "refused", "facts_matched"} <= set(row)
    assert all({"source_file", "topics"} == set(r) for r in row["retrieved"])


@pytest.mark.slow
def test_hybrid_retrieval_beats_both_baselines_on_every_answerable_question(corpus_pipeline) -> None:
    questions = [q for q in load_questions(QUESTIONS) if q.answerable]
    systems = retrievers(corpus_pipeline)
    mrr = {}
    for name in ("bm25", "dense", "onestop"):
        total = 0.0
        for q in questions:
            hits = systems[name](q.question, 10)
            rank = next((i for i, h in enumerate(hits, 1) if q.is_relevant(h.chunk.source_file, h.chunk.topics)), None)
            total += 1 / rank if rank else 0
        mrr[name] = total / len(questions)
    assert mrr["onestop"] > mrr["dense"] and mrr["onestop"] > mrr["bm25"], mrr
