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
    assert main(["ask", "Who pays?"]) == 1
    assert "onestop ingest" in capsys.readouterr().err


def test_bad_setting_is_a_clear_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ONESTOP_CHUNK_SIZE", "big")
    assert main(["ingest"]) == 1
    assert "ONESTOP_CHUNK_SIZE must be a whole number" in capsys.readouterr().err


def test_usage_errors_exit_2_and_explained_failures_exit_1(monkeypatch, capsys, tmp_path) -> None:
    assert main([]) == 2
    assert main(["ask"]) == 2  # neither a question nor --batch
    assert main(["ask", "Who pays?", "--k", "99"]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["no-such-command"])
    assert exited.value.code == 2
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(tmp_path / "nowhere"))
    capsys.readouterr()
    assert main(["checklist", "return-to-work"]) == 1
    err = capsys.readouterr().err
    assert "corpus folder" in err and "does not exist" in err


def test_checklist_list_questions_contract(capsys) -> None:
    assert main(["checklist", "return-to-work", "--list-questions"]) == 0
    questions = json.loads(capsys.readouterr().out)
    assert {"absence_weeks", "fit_note", "fit_note_advice", "has_oh", "has_gip", "org_size"} <= {q["id"] for q in questions}
    for q in questions:
        assert set(q) == {"id", "text", "type", "options", "default"}
        assert q["type"] in ("choice", "multi", "number", "bool")


def test_checklist_export_files_and_clear_errors(tmp_path, capsys) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"absence_weeks": 5, "fit_note": "May be fit for work"}))
    out = tmp_path / "list.pdf"
    assert main(["checklist", "return-to-work", "--answers", str(answers), "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["checklist", "recruitment", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("phase,item,why,sources,done_by,done_on")
    answers.write_text(json.dumps({"fit_note": "perhaps"}))
    assert main(["checklist", "return-to-work", "--answers", str(answers)]) == 1
    assert "'fit_note'" in capsys.readouterr().err
    assert main(["checklist", "payroll"]) == 1
    assert "No checklist called 'payroll'" in capsys.readouterr().err


@pytest.mark.slow
def test_ask_batch_prints_one_json_answer_a_line(cards_index, tmp_path, monkeypatch, capsys) -> None:
    from onestop.cli import main

    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(cards_index.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(cards_index.index_dir))
    batch = tmp_path / "q.txt"
    batch.write_text('Who applies for Access to Work?\n\n{"question": "How long do I pay SSP for?"}\n', encoding="utf-8")
    assert main(["ask", "--batch", str(batch)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["parts"][0]["card_id"] for r in rows] == ["atw-who-applies", "ssp-how-long"]
    assert all({"answer", "citations", "near_miss", "suggestions"} <= set(r) for r in rows)


def test_a_reader_that_stops_early_is_not_an_error(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture) -> None:
    import argparse

    import onestop.cli as cli

    def stops_reading(args: argparse.Namespace) -> int:
        raise BrokenPipeError  # what `onestop ask … | head` meets once head has its lines

    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=stops_reading)
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main([]) == 0
    assert "Traceback" not in capfd.readouterr().err
