"""Evaluation: the question file format, the metrics, and a fast quality gate on the real corpus."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from onestop.errors import OneStopError
from onestop.evaluate import (
    Outcome,
    Question,
    calibrate,
    evaluate,
    first_sentence,
    lead_ins_without_list,
    load_questions,
    metrics,
    retrievers,
    run_question,
)

QUESTIONS = Path(__file__).parent / "eval" / "questions.jsonl"
MANAGERS = Path(__file__).parent / "eval" / "managers.jsonl"
FRESH = Path(__file__).parent / "eval" / "fresh.jsonl"  # a second blind set, written later, reported only
DEV2 = Path(__file__).parent / "eval" / "dev2.jsonl"  # a second dev set, written blind to the cards, for diagnosis
DEV3 = Path(__file__).parent / "eval" / "dev3.jsonl"  # a third, written blind on 1 December 2026 (situations off the old list)
DEV4 = Path(__file__).parent / "eval" / "dev4.jsonl"  # written blind the same day for validation: measured, never tuned on
DEV5 = Path(__file__).parent / "eval" / "dev5.jsonl"  # written blind 1 Dec 2026 (2nd session), measured, then tuned on
DEV6 = Path(__file__).parent / "eval" / "dev6.jsonl"  # written blind 1 Dec 2026 (3rd session), then tuned on
DEV7 = Path(__file__).parent / "eval" / "dev7.jsonl"  # written blind later that session, measured on arrival
DEV8 = (
    Path(__file__).parent / "eval" / "dev8.jsonl"
)  # written blind 1 Dec 2026 (4th session): plans, dates, pay; measured on arrival
DEV9 = Path(__file__).parent / "eval" / "dev9.jsonl"  # written blind 1 Dec 2026 (5th session): new sectors and people
DEV10 = Path(__file__).parent / "eval" / "dev10.jsonl"  # written blind 1 Dec 2026 (6th session): more sectors and people
DEV11 = Path(__file__).parent / "eval" / "dev11.jsonl"  # written blind 2 Dec 2026 (7th session): dates, service, payroll
DEV12 = Path(__file__).parent / "eval" / "dev12.jsonl"  # written blind 2 Dec 2026 (8th session): new trades and people
DEV13 = Path(__file__).parent / "eval" / "dev13.jsonl"  # written blind 2 Dec 2026 (9th session): conditions, plans done
DEV14 = Path(__file__).parent / "eval" / "dev14.jsonl"  # written blind later that session, measured on arrival
DEV15 = Path(__file__).parent / "eval" / "dev15.jsonl"  # written blind 2 Dec 2026 (10th session), measured on arrival
# Gates on the DEV split only (measured 2026-11-30, end of the day, with the calibrated thresholds:
# key-fact recall 0.87, first sentence 0.63, part coverage 0.93, out-of-scope declined 1.00, in-scope
# refused or near miss 0.01, no lead-in without its list). They sit a little below, so noise does not fail CI
# but a real regression does. The test split is reported in the README and never gated or tuned on.
DEV_GATES = {"key_fact_recall": 0.82, "part_coverage": 0.85, "out_of_scope_declined": 0.9, "first_sentence_fact": 0.55}
DEV_CEILINGS = {"in_scope_refused_or_near_miss": 0.05}


def outcome(facts=(), refused=False, near_miss=False, first=False, parts=0, cited=(0, 0)) -> Outcome:
    return Outcome("answer", refused, near_miss, list(facts), first, parts, [], cited[0], cited[1], [], 0.01)


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


def test_a_question_may_carry_the_day_it_was_written_as_of(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = {"id": "a", "question": "q", "answerable": True, "expect_topics": ["fit-notes"], "today": "2026-12-02"}
    path.write_text(json.dumps(line) + "\n" + json.dumps({**line, "id": "b", "today": None}) + "\n")
    assert [q.today for q in load_questions(path)] == [dt.date(2026, 12, 2), None]
    path.write_text(json.dumps({**line, "today": "2 December"}) + "\n")
    with pytest.raises(OneStopError, match="line 1"):
        load_questions(path)


@pytest.mark.slow
def test_a_question_is_asked_as_of_its_own_day(corpus_pipeline) -> None:
    asked = "She went off sick on Monday 30 November and is still off today. How much SSP do I owe her so far?"
    own_day = Question("a", asked, "dev", True, (), ("statutory-sick-pay",), (), today=dt.date(2026, 12, 2))
    assert "3 × £24.65" in run_question(corpus_pipeline, own_day, 5).answer
    assert "3 × £24.65" not in run_question(corpus_pipeline, replace(own_day, today=None), 5).answer


def test_files_take_precedence_over_topics() -> None:
    question = Question("a", "q", "dev", True, ("fit-notes.md",), ("fit-notes",), ())
    assert question.is_relevant("fit-notes.md", ())
    assert not question.is_relevant("fit-notes-acting-on-advice.md", ("fit-notes",))
    by_topic = Question("b", "q", "dev", True, (), ("fit-notes",), ())
    assert by_topic.is_relevant("anything.md", ("fit-notes",))


def test_metrics_by_hand() -> None:
    questions = [
        Question("1", "q", "dev", True, ("a.md",), (), ("x", "y"), (("x",), ("y",))),
        Question("2", "q", "dev", True, ("a.md",), (), ("z",)),
        Question("3", "q", "dev", False),
        Question("4", "q", "dev", False),
    ]
    outcomes = [
        outcome(facts=["x"], first=True, parts=1, cited=(2, 2)),
        outcome(near_miss=True, cited=(1, 2)),
        outcome(refused=True),
        outcome(near_miss=True),
    ]
    m = metrics(questions, outcomes)
    assert m["key_fact_recall"] == 0.25 and m["first_sentence_fact"] == 0.5 and m["part_coverage"] == 0.5
    assert m["in_scope_near_miss"] == 0.5 and m["citation_precision"] == 0.75
    assert m["out_of_scope_refused"] == 0.5 and m["out_of_scope_declined"] == 1.0


def test_lead_in_detection_and_first_sentence() -> None:
    assert lead_ins_without_list("Adjustments include the following: [1]\n- one\n- two") == []
    assert lead_ins_without_list("Adjustments include the following. [1]\nNothing else.") == [
        "Adjustments include the following. [1]"
    ]
    assert first_sentence("**Label**\nYes, you can. [1] More here.") == "Yes, you can. [1]"


def test_calibration_refuses_the_test_split(corpus_pipeline) -> None:
    with pytest.raises(OneStopError, match="dev split only"):
        calibrate(corpus_pipeline, load_questions(MANAGERS, split="test")[:2])


def test_managers_questions_are_valid_and_blind_to_the_cards() -> None:
    questions = load_questions(MANAGERS)
    in_scope = [q for q in questions if q.answerable]
    assert len(in_scope) >= 150 and len(questions) - len(in_scope) >= 40
    dev = sum(q.split == "dev" for q in questions) / len(questions)
    assert 0.55 <= dev <= 0.65


def test_the_fresh_blind_set_is_valid_and_report_only() -> None:
    questions = load_questions(FRESH)
    in_scope = [q for q in questions if q.answerable]
    assert len(in_scope) >= 60 and len(questions) - len(in_scope) >= 15
    assert {q.split for q in questions} == {"test"}  # never tuned on: reported only
    assert all(q.expect_facts for q in in_scope)
    assert not {q.id for q in questions} & {q.id for q in load_questions(MANAGERS)}


@pytest.mark.parametrize(
    ("path", "min_in_scope", "earlier"),
    [
        (DEV2, 150, (MANAGERS, FRESH)),
        (DEV3, 120, (MANAGERS, FRESH, DEV2)),
        (DEV4, 120, (MANAGERS, FRESH, DEV2, DEV3)),
        (DEV5, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4)),
        (DEV6, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5)),
        (DEV7, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6)),
        (DEV8, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7)),
        (DEV9, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8)),
        (DEV10, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9)),
        (DEV11, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10)),
        (DEV12, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10, DEV11)),
        (DEV13, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10, DEV11, DEV12)),
        (DEV14, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10, DEV11, DEV12, DEV13)),
        (DEV15, 100, (MANAGERS, FRESH, DEV2, DEV3, DEV4, DEV5, DEV6, DEV7, DEV8, DEV9, DEV10, DEV11, DEV12, DEV13, DEV14)),
    ],
    ids=["dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15"],
)
def test_each_later_blind_set_is_valid_and_apart_from_the_earlier_ones(path: Path, min_in_scope: int, earlier) -> None:
    questions = load_questions(path)
    in_scope = [q for q in questions if q.answerable]
    assert len(in_scope) >= min_in_scope and len(questions) - len(in_scope) >= 40
    assert {q.split for q in questions} == {"dev"}  # tuned on (dev2-3, dev5-7) or validation (dev4)
    assert all(q.expect_facts for q in in_scope)
    others = {q.id for other in earlier for q in load_questions(other)}
    assert not {q.id for q in questions} & others


@pytest.mark.slow
def test_no_asked_as_is_a_copy_of_an_eval_question(corpus_pipeline) -> None:
    import numpy as np

    cards = corpus_pipeline.retriever._cards  # the phrase vectors stored at ingest
    questions = [q.question for q in load_questions(MANAGERS)]  # the blind set the cards were written after (dev2 came later)
    vectors = np.array(corpus_pipeline.embeddings.embed_documents(questions), dtype=np.float32)
    similarity = vectors @ cards.matrix.T
    close = [(questions[q], cards.phrases[p]) for q, p in zip(*np.nonzero(similarity >= 0.9))]
    assert not close, close


@pytest.mark.slow
def test_quality_gate_on_the_dev_split(corpus_pipeline) -> None:
    dev = load_questions(MANAGERS, split="dev")
    report = evaluate(corpus_pipeline, dev, k=5, split="dev", systems=("onestop",))
    ours = report.systems["onestop"]
    failing = {name: ours[name] for name, floor in DEV_GATES.items() if ours[name] < floor}
    failing |= {name: ours[name] for name, ceiling in DEV_CEILINGS.items() if ours[name] > ceiling}
    assert not failing, f"outside the dev quality gates {DEV_GATES} {DEV_CEILINGS}: {failing}"
    assert ours["lead_ins_without_list"] == 0  # never a lead-in without its list, in any answer


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
