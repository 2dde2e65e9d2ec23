"""`onestop status`: counts, pending changes, overdue reviews and expired sections, against a real index."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from onestop.ingest import ingest
from onestop.status import index_status

pytestmark = pytest.mark.slow


def test_status_reports_what_an_ingest_would_change_and_what_is_out_of_date(built_index, corpus_dir: Path, embeddings) -> None:
    settings, report = built_index
    path = corpus_dir / "statutory-sick-pay.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "## ", "## Old rules\n\n<!-- applies_until: 2026-04-05 -->\n\nThese rules have ended.\n\n## ", 1
        ),
        encoding="utf-8",
    )
    ingest(settings, embeddings=embeddings)
    status = index_status(settings, today=dt.date(2026, 11, 30))
    assert status.documents == 5 and status.chunks > 0 and status.last_ingest
    assert status.pending.added == status.pending.updated == status.pending.removed == []
    assert status.overdue_review == []
    assert set(status.failed) == {"bad-front-matter.md", "broken.pdf"}  # failed last time, unchanged since
    assert status.expired_sections == ["statutory-sick-pay.md#old-rules"]

    (corpus_dir / "fit-notes.md").write_text(
        (corpus_dir / "fit-notes.md").read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8"
    )
    (corpus_dir / "getting-help.md").unlink()
    (corpus_dir / "new-guide.md").write_text(
        (corpus_dir / "access-to-work.md").read_text(encoding="utf-8").replace("Access to Work for employers", "A new guide"),
        encoding="utf-8",
    )
    later = index_status(settings, today=dt.date(2028, 1, 1))
    assert later.pending.added == ["new-guide.md"]
    assert later.pending.updated == ["fit-notes.md"]
    assert later.pending.removed == ["getting-help.md"]
    assert "access-to-work.md" in later.overdue_review  # last reviewed 2026-11-30: over 12 months before 2028


def test_status_json_contract(built_index, monkeypatch, capsys) -> None:
    from onestop.cli import main

    settings, _ = built_index
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(settings.index_dir))
    assert main(["status", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"documents", "chunks", "cards", "last_ingest", "pending", "overdue_review", "expired_sections"}
    assert set(data["pending"]) == {"added", "updated", "removed"}
    assert main(["status"]) == 0
    assert "The index matches the corpus folder." in capsys.readouterr().out
