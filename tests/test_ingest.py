"""Ingest against a real Chroma index and the real model: incremental, safe, reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onestop.ingest import ingest, load_manifest, manifest_chunk_ids
from onestop.store import VectorStore

pytestmark = pytest.mark.slow
GOOD = ["access-to-work.md", "fit-notes.md", "getting-help.md", "oh-guide.pdf", "statutory-sick-pay.md"]


def index_ids(settings, embeddings) -> set[str]:
    return VectorStore(settings, embeddings).ids()


def test_first_build_indexes_good_files_and_reports_bad_ones(built_index, embeddings) -> None:
    settings, report = built_index
    assert sorted(report.added) == GOOD
    assert {f["file"]: f["reason"] for f in report.failed}.keys() == {"bad-front-matter.md", "broken.pdf"}
    assert "missing sources" in next(f["reason"] for f in report.failed if f["file"] == "bad-front-matter.md")
    assert not report.ok
    assert report.chunks == len(index_ids(settings, embeddings)) == report.embedded > 0


def test_chunk_metadata_in_the_store(built_index, embeddings) -> None:
    settings, _ = built_index
    chunks = VectorStore(settings, embeddings).all_chunks()
    pdf = [c for c in chunks if c.source_file == "oh-guide.pdf"]
    assert {c.page for c in pdf} == {1, 2}
    sections = {(c.source_file, c.section) for c in chunks}
    assert ("access-to-work.md", "Who pays for Access to Work") in sections
    ssp = next(c for c in chunks if c.section == "How much Statutory Sick Pay is")
    assert ssp.topics == ("statutory-sick-pay",) and ssp.url == "https://www.gov.uk/statutory-sick-pay"


def test_second_run_embeds_nothing(built_index, embeddings) -> None:
    settings, first = built_index
    second = ingest(settings, embeddings=embeddings)
    assert second.embedded == 0
    assert sorted(second.unchanged) == GOOD and not second.added and not second.updated
    assert second.chunks == first.chunks


def test_editing_one_file_changes_only_its_chunks(built_index, corpus_dir: Path, embeddings) -> None:
    settings, _ = built_index
    before = load_manifest(settings)["files"]
    path = corpus_dir / "statutory-sick-pay.md"
    path.write_text(path.read_text().replace("28 weeks", "twenty-eight weeks"))
    report = ingest(settings, embeddings=embeddings)
    assert report.updated == ["statutory-sick-pay.md"]
    assert report.embedded == 1  # only the edited section's chunk
    after = load_manifest(settings)["files"]
    assert after["fit-notes.md"] == before["fit-notes.md"]
    assert after["statutory-sick-pay.md"]["chunks"] != before["statutory-sick-pay.md"]["chunks"]
    assert index_ids(settings, embeddings) == manifest_chunk_ids(load_manifest(settings))


def test_deleting_a_file_removes_its_chunks(built_index, corpus_dir: Path, embeddings) -> None:
    settings, _ = built_index
    gone = set(load_manifest(settings)["files"]["fit-notes.md"]["chunks"])
    (corpus_dir / "fit-notes.md").unlink()
    report = ingest(settings, embeddings=embeddings)
    assert report.removed == ["fit-notes.md"]
    assert not gone & index_ids(settings, embeddings)


def test_a_file_that_breaks_keeps_its_old_chunks(built_index, corpus_dir: Path, embeddings) -> None:
    settings, _ = built_index
    kept = set(load_manifest(settings)["files"]["fit-notes.md"]["chunks"])
    (corpus_dir / "fit-notes.md").write_bytes(b"\xff\xfe not utf-8 any more")
    report = ingest(settings, embeddings=embeddings)
    assert {"file": "fit-notes.md", "reason": report.failed[-1]["reason"]} in report.failed
    assert kept <= index_ids(settings, embeddings)
    assert set(load_manifest(settings)["files"]["fit-notes.md"]["chunks"]) == kept


def test_orphan_chunks_from_a_crashed_run_are_repaired(built_index, corpus_dir: Path, embeddings) -> None:
    settings, _ = built_index
    store = VectorStore(settings, embeddings)
    orphan = store.all_chunks()[0]
    store.upsert([orphan.__class__(**{**orphan.__dict__, "id": "orphan-from-crash"})], [[0.1] * 384])
    report = ingest(settings, embeddings=embeddings)
    assert report.embedded == 0
    assert "orphan-from-crash" not in index_ids(settings, embeddings)


def test_rebuild_starts_from_scratch(built_index, embeddings) -> None:
    settings, first = built_index
    report = ingest(settings, rebuild=True, embeddings=embeddings)
    assert sorted(report.added) == GOOD and report.embedded == first.embedded


def test_cli_json_summary_and_exit_status(corpus_dir: Path, settings_for, capsys, monkeypatch) -> None:
    from onestop.cli import main

    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(corpus_dir))
    assert main(["ingest", "--json"]) == 1  # two bad files
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) >= {"added", "updated", "removed", "unchanged", "failed", "chunks", "seconds"}
    assert sorted(summary["added"]) == GOOD
    assert all(set(f) == {"file", "reason"} for f in summary["failed"])
    for name in ("broken.pdf", "broken.meta.yaml", "bad-front-matter.md"):
        (corpus_dir / name).unlink()
    assert main(["ingest", "--json"]) == 0
    assert sorted(json.loads(capsys.readouterr().out)["unchanged"]) == GOOD


@pytest.mark.parametrize(
    ("old", "new", "field", "expected", "embeds"),
    [
        (
            "title: Access to Work for employers",
            "title: Access to Work, a guide for employers",
            "title",
            "Access to Work, a guide for employers",
            True,
        ),
        ("last_reviewed: 2026-11-30", "last_reviewed: 2026-11-15", "last_reviewed", "2026-11-15", False),
        (
            "topics: [access-to-work]",
            "topics: [access-to-work, reasonable-adjustments]",
            "topics",
            ["access-to-work", "reasonable-adjustments"],
            False,
        ),
        (
            "url: https://www.gov.uk/access-to-work",
            "url: https://www.gov.uk/access-to-work/apply",
            "url",
            "https://www.gov.uk/access-to-work/apply",
            False,
        ),
        (
            "## Who pays for Access to Work\n",
            "## Who pays for Access to Work\n\n<!-- applies_from: 2026-04-06 -->\n",
            "applies_from",
            "2026-04-06",
            False,
        ),
        (
            "## Who pays for Access to Work\n",
            "## Who pays for Access to Work\n\n<!-- applies_until: 2027-03-31 -->\n",
            "applies_until",
            "2027-03-31",
            False,
        ),
    ],
)
def test_an_edit_to_one_field_alone_reaches_the_answer_after_one_ingest(
    built_index, corpus_dir: Path, embeddings, old: str, new: str, field: str, expected: object, embeds: bool
) -> None:
    from onestop.pipeline import open_pipeline

    settings, _ = built_index
    pipeline = open_pipeline(settings, embeddings)  # a long-lived pipeline, as in the app
    question = "Who pays for Access to Work?"
    assert pipeline.ask(question).citations
    path = corpus_dir / "access-to-work.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = ingest(settings, embeddings=embeddings)
    assert report.updated == ["access-to-work.md"]
    assert (report.embedded > 0) == embeds
    cited = [c.to_json() for c in pipeline.ask(question).citations if c.chunk.source_file == "access-to-work.md"]
    assert cited and any(c[field] == expected for c in cited), cited
    fresh = [
        c.to_json()
        for c in open_pipeline(settings, embeddings).ask(question).citations
        if c.chunk.source_file == "access-to-work.md"
    ]
    assert any(c[field] == expected for c in fresh)


def test_bad_data_files_fail_the_run_by_name_and_answers_keep_working(built_index, corpus_dir: Path, embeddings) -> None:
    from onestop.pipeline import open_pipeline

    settings, _ = built_index
    path = corpus_dir / "fit-notes.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("## ", "## Old\n\n<!-- applies_until: 2026-13-45 -->\n\nEnded.\n\n## ", 1),
        encoding="utf-8",
    )
    (corpus_dir / "rates.yaml").write_text("statutory_sick_pay: nonsense\n", encoding="utf-8")
    report = ingest(settings, embeddings=embeddings)
    reasons = {f["file"]: f["reason"] for f in report.failed}
    assert "2026-13-45 is not a real date" in reasons["fit-notes.md"]
    assert "statutory_sick_pay" in reasons["rates.yaml"]
    answer = open_pipeline(settings, embeddings).ask("Who can issue a fit note?")  # the old fit-notes chunks still answer
    assert not answer.refused and any(c.chunk.source_file == "fit-notes.md" for c in answer.citations)
