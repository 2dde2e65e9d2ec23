"""`onestop status`: what the index holds, what an ingest would change, and what needs an editor."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from onestop.cards import load_cards
from onestop.config import Settings
from onestop.corpus import discover, file_fingerprint, relative_name
from onestop.errors import OneStopError
from onestop.ingest import load_manifest, manifest_chunk_ids
from onestop.store import VectorStore

REVIEW_AFTER_DAYS = 365  # a document not reviewed for 12 months is overdue


@dataclass
class Pending:
    """Files an ingest would add, update or remove (documents and answer-card files)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class IndexStatus:
    """The `onestop status --json` contract."""

    documents: int
    chunks: int
    cards: int
    last_ingest: str | None
    pending: Pending
    overdue_review: list[str]  # documents last reviewed more than 12 months ago
    expired_sections: list[str]  # sections (file.md#slug) whose applies_until date has passed
    failed: dict[str, str] = field(default_factory=dict)  # unchanged files the last ingest could not use, and why

    def to_json(self) -> dict:
        """The status as a JSON-ready dict."""
        return asdict(self)


def index_status(settings: Settings, today: dt.date | None = None) -> IndexStatus:
    """Compare the committed index with the corpus folder and the calendar."""
    today = today or dt.date.today()
    manifest = load_manifest(settings)
    indexed = manifest["files"]
    pending = Pending()
    failed: dict[str, str] = {}
    last_failed = manifest.get("failed", {})
    on_disk = set()
    for path in discover(settings.corpus_dir):
        rel = relative_name(path, settings.corpus_dir)
        on_disk.add(rel)
        try:
            fingerprint = file_fingerprint(path, settings.corpus_dir, settings.limits)
        except OneStopError:
            fingerprint = None  # unreadable: ingest will report it
        if rel in last_failed and last_failed[rel]["hash"] == fingerprint:
            failed[rel] = last_failed[rel]["reason"]  # unchanged since it failed: ingest would fail it again
        elif rel not in indexed:
            pending.added.append(rel)
        elif fingerprint != indexed[rel]["hash"]:
            pending.updated.append(rel)
    pending.removed = sorted(set(indexed) - on_disk)
    card_files = load_cards(settings.corpus_dir).files
    indexed_cards = manifest.get("cards", {})
    pending.added += sorted(set(card_files) - set(indexed_cards))
    pending.updated += sorted(f for f in set(card_files) & set(indexed_cards) if card_files[f] != indexed_cards[f]["hash"])
    pending.removed += sorted(set(indexed_cards) - set(card_files))
    overdue = sorted(
        rel
        for rel, entry in indexed.items()
        if entry.get("last_reviewed") and (today - dt.date.fromisoformat(entry["last_reviewed"])).days > REVIEW_AFTER_DAYS
    )
    return IndexStatus(
        documents=len(indexed),
        chunks=len(manifest_chunk_ids(manifest)),
        cards=sum(len(entry["card_ids"]) for entry in indexed_cards.values()),
        last_ingest=manifest.get("updated"),
        pending=Pending(sorted(pending.added), sorted(pending.updated), sorted(pending.removed)),
        overdue_review=overdue,
        expired_sections=_expired_sections(settings, manifest, today),
        failed=failed,
    )


def _expired_sections(settings: Settings, manifest: dict, today: dt.date) -> list[str]:
    if not manifest["files"]:
        return []
    live = manifest_chunk_ids(manifest)
    chunks = VectorStore(settings, None).all_chunks()  # metadata only: no model needed
    return sorted(
        {c.anchor for c in chunks if c.id in live and c.applies_until and dt.date.fromisoformat(c.applies_until) < today}
    )
