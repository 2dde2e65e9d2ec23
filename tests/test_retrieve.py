"""Retrieval: fusion, glossary expansion, follow-ups, topic filter, committed-state filtering."""

from __future__ import annotations

import numpy as np
import pytest

from onestop.cards import Card
from onestop.retrieve import _CardIndex, expand_query, rrf
from onestop.store import CardEntry


def test_rrf_rewards_agreement_between_rankings() -> None:
    scores = rrf([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert max(scores, key=scores.get) == "b"
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert rrf([["x"], []]) == {"x": 1 / 61}


def _entries(card_id: str, vectors: list[list[float]]) -> list[CardEntry]:
    card = Card(card_id, f"{card_id}?", (), "An answer.", (), ("statutory-sick-pay",), "2026-12-01", "answers/x.yaml")
    return [
        CardEntry(f"{card_id}-{n}", card_id, f"{card_id} phrase {n}", v, card.to_json_text() if n == 0 else "")
        for n, v in enumerate(vectors)
    ]


def test_a_card_its_phrases_agree_on_beats_one_lucky_phrase() -> None:
    unit = lambda *xs: (np.array(xs) / np.linalg.norm(xs)).tolist()  # noqa: E731
    lucky = _entries("lucky", [unit(0.8, 0.6, 0), unit(0, 0, 1), unit(0, 1, 0.2)])  # one phrase close, the rest far
    agreed = _entries("agreed", [unit(0.75, 0.66, 0), unit(0.74, 0, 0.67)])  # both phrases fairly close
    matches = _CardIndex(lucky + agreed).match(np.array(unit(1, 0, 0), dtype=np.float32), "", ())
    assert matches[0].card.id == "agreed"
    assert matches[1].dense > matches[0].dense  # the lucky card's best phrase is the closer one
    single = _CardIndex(_entries("one", [unit(1, 0, 0)])).match(np.array(unit(1, 0, 0), dtype=np.float32), "", ())
    assert single[0].score == pytest.approx(1.0)  # a card with one phrase is judged by it alone


def test_glossary_adds_the_guidance_words() -> None:
    glossary = {"sick note": "fit note", "bad back": "musculoskeletal", "oh": "occupational health"}
    assert expand_query("He sent a sick note for his bad back", glossary) == (
        "He sent a sick note for his bad back (fit note; musculoskeletal)"
    )
    assert expand_query("Oh well, who pays?", glossary) == "Oh well, who pays? (occupational health)"
    assert expand_query("nothing to expand in johnny", glossary) == "nothing to expand in johnny"


@pytest.mark.slow
def test_hybrid_finds_the_right_file_and_respects_topics(shared_pipeline) -> None:
    retriever = shared_pipeline.retriever
    hits = retriever.hybrid("doctor's note says may be fit with altered hours", 3)
    assert hits[0].chunk.source_file == "fit-notes.md"
    assert all(h.dense is not None for h in hits)
    only_ssp = retriever.hybrid("doctor's note says may be fit with altered hours", 3, topics=["statutory-sick-pay"])
    assert {h.chunk.source_file for h in only_ssp} == {"statutory-sick-pay.md"}


@pytest.mark.slow
def test_retrieval_only_uses_committed_chunks(built_index, embeddings) -> None:
    from onestop.pipeline import open_pipeline
    from onestop.store import VectorStore

    settings, _ = built_index
    store = VectorStore(settings, embeddings)
    chunk = next(c for c in store.all_chunks() if c.source_file == "access-to-work.md")
    ghost = chunk.__class__(**{**chunk.__dict__, "id": "uncommitted", "text": "Ghost text about Access to Work grants."})
    store.upsert([ghost], [embeddings.embed_query(ghost.text)])  # as if a crashed ingest left it behind
    retriever = open_pipeline(settings, embeddings).retriever
    found = {h.chunk.id for h in retriever.hybrid("Access to Work grants", 10)}
    assert "uncommitted" not in found and chunk.id in found


def test_a_read_that_fails_while_an_ingest_writes_keeps_the_last_index(built_index, embeddings, monkeypatch) -> None:
    from onestop import retrieve
    from onestop.errors import StoreError
    from onestop.pipeline import open_pipeline

    settings, _ = built_index
    retriever = open_pipeline(settings, embeddings).retriever
    cards_before, chunks_before = retriever.cards, retriever.chunks
    calls = []

    def half_written() -> list:
        calls.append(1)
        raise StoreError("The index could not be read or written (InternalError: Error finding id).")

    monkeypatch.setattr(retrieve, "REFRESH_WAIT_SECONDS", 0.0)
    monkeypatch.setattr(retriever.store, "card_entries", half_written)
    monkeypatch.setattr(retriever._catalog, "version", lambda: "an ingest is committing")
    retriever.refresh()  # no error: answers go on from the index as last read
    assert retriever.cards == cards_before and retriever.chunks == chunks_before
    assert len(calls) == retrieve.REFRESH_ATTEMPTS
    assert retriever._version != "an ingest is committing"  # the next question reads the index again
