"""The `onestop` command line: the ask JSON contract and clear errors."""

from __future__ import annotations

import json

import pytest

from onestop.cli import main

pytestmark = pytest.mark.slow
CITATION_KEYS = {"n", "title", "section", "url", "source_file", "page", "topics", "last_reviewed", "snippet", "score"}


def test_ask_json_contract(shared_index, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(shared_index.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(shared_index.index_dir))
    assert main(["ask", "Who pays for Access to Work?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"question", "answer", "refused", "citations"} <= set(data)
    assert data["question"] == "Who pays for Access to Work?" and data["refused"] is False
    assert isinstance(data["answer"], str) and data["citations"]
    for n, citation in enumerate(data["citations"], start=1):
        assert CITATION_KEYS <= set(citation)
        assert citation["n"] == n and f"[{n}]" in data["answer"]
        assert isinstance(citation["score"], float) and isinstance(citation["topics"], list)
        assert citation["page"] is None or isinstance(citation["page"], int)
    assert data["citations"][0]["source_file"] == "access-to-work.md"


def test_ask_without_an_index_says_how_to_build_one(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(tmp_path / "empty"))
    assert main(["ask", "Who pays?"]) == 2
    assert "onestop ingest" in capsys.readouterr().err


def test_bad_setting_is_a_clear_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONESTOP_CHUNK_SIZE", "big")
    assert main(["ingest"]) == 2
    assert "ONESTOP_CHUNK_SIZE must be a whole number" in capsys.readouterr().err
