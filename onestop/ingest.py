"""Incremental, crash-safe sync of the corpus folder into the index.

Order of writes: new chunks are upserted first; then the manifest, kept in Chroma beside the
vectors, is replaced in one write (the commit point); then chunks no longer listed are
deleted. A crash at any point leaves the previous chunks in place, and retrieval only uses
chunks the manifest lists, so askers always see the last committed state. A rebuild (or a
model change) fills a new generation of collections and switches to it on commit, so there
is never a moment without an index; the old generation is dropped afterwards. The next run
repairs whatever a crash left behind.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import socket
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from onestop.cards import CardSet, load_cards
from onestop.check import data_file_problems
from onestop.checklists import check_all
from onestop.chunking import Chunk, chunk_document
from onestop.config import Settings
from onestop.corpus import Limits, discover, file_fingerprint, load_document, relative_name
from onestop.embeddings import LocalEmbeddings
from onestop.errors import CorpusError, IndexDamaged, IndexMissing, OneStopError
from onestop.sections import corpus_sections
from onestop.store import CardEntry, Catalog, VectorStore, drop_generation
from onestop.text import sentences

MANIFEST_VERSION = 1
INDEX_FORMAT = 3  # 2: section anchors, sentence vectors, answer cards; 3: chunk ids cover the title
EMBED_BATCH = 32
Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    """What one ingest run did; `to_json()` is the `onestop ingest --json` contract."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    embedded: int = 0
    restamped: int = 0  # chunks whose metadata (review date, topics, URL, dates) changed without new vectors
    cards: int = 0
    cards_to_review: list[str] = field(default_factory=list)  # cards whose cited sections changed
    sections: dict[str, list[str]] = field(default_factory=lambda: {"added": [], "changed": [], "removed": []})

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def to_json(self) -> dict:
        """The summary as a JSON-ready dict."""
        return asdict(self)


def load_manifest(settings: Settings) -> dict:
    """The last committed manifest (kept in Chroma with the index), or an empty one; IndexDamaged if unreadable."""
    try:
        manifest = Catalog(settings).read()
    except IndexMissing:
        manifest = None
    return manifest or {"version": MANIFEST_VERSION, "files": {}}


def manifest_chunk_ids(manifest: dict) -> set[str]:
    """Every chunk id the manifest lists."""
    return {chunk_id for entry in manifest["files"].values() for chunk_id in entry["chunks"]}


def manifest_card_entry_ids(manifest: dict) -> set[str]:
    """Every card-phrase id the manifest lists."""
    return {entry_id for entry in manifest.get("cards", {}).values() for entry_id in entry["entries"]}


def settings_fingerprint(settings: Settings) -> dict:
    """The settings that shape chunks and vectors: when they change, everything is re-indexed."""
    return {
        "embedding_model": settings.embedding_model,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "index_format": INDEX_FORMAT,
    }


def ingest(
    settings: Settings,
    corpus_dir: Path | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    embeddings: LocalEmbeddings | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus folder and report what changed."""
    started = time.perf_counter()
    corpus_dir = Path(corpus_dir or settings.corpus_dir)
    files = discover(corpus_dir)
    settings.collection_dir.mkdir(parents=True, exist_ok=True)
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    with _exclusive_lock(settings.collection_dir / "ingest.lock"):
        catalog = Catalog(settings, create=True)
        catalog.take_lease(owner)  # one ingest at a time, also across machines sharing a Chroma server
        try:
            report, keep, new_cards = _ingest_locked(settings, catalog, corpus_dir, files, rebuild, progress, embeddings)
        finally:
            catalog.release_lease(owner)
    report.failed.extend(check_all(corpus_dir))  # a broken checklist reference fails the run loudly
    report.failed.extend({"file": p.file, "reason": p.message} for p in data_file_problems(corpus_dir))
    report.chunks = len(keep)
    report.cards = sum(len(entry["card_ids"]) for entry in new_cards.values())
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _ingest_locked(
    settings: Settings,
    catalog: Catalog,
    corpus_dir: Path,
    files: list[Path],
    rebuild: bool,
    progress: Progress | None,
    embeddings: LocalEmbeddings | None,
) -> tuple[IngestReport, set[str], dict]:
    """The ingest itself, under the lock: a rebuild fills a new generation and switches to it on commit."""
    try:
        manifest = catalog.read() or {"version": MANIFEST_VERSION, "files": {}}
    except IndexDamaged:
        manifest, rebuild = {"version": MANIFEST_VERSION, "files": {}}, True  # nothing to trust: start again
    if manifest.get("settings") not in (None, settings_fingerprint(settings)):
        old = manifest["settings"]
        if old.get("embedding_model") != settings.embedding_model or old.get("index_format") != INDEX_FORMAT:
            rebuild = True  # vectors from another model (or layout) cannot be mixed with new ones
        else:
            manifest = {**manifest, "files": {}}
    live = int(manifest.get("generation", 0))
    generation = live + 1 if rebuild or not live else live
    if generation != live:
        drop_generation(settings, generation)  # leftovers of a rebuild that was killed before it committed
        manifest = {"version": MANIFEST_VERSION, "files": {}}
    embeddings = embeddings or LocalEmbeddings(settings.embedding_model)
    store = VectorStore(settings, embeddings, create=True, generation=generation)
    report, new_files, pending, restamp = _plan(files, corpus_dir, manifest, store.ids(), settings)
    report.embedded = _embed_and_write(store, embeddings, pending, progress)
    report.restamped = store.restamp(restamp)
    section_hashes = _section_hashes(corpus_dir)
    cards = load_cards(corpus_dir)
    new_cards = _sync_cards(store, embeddings, cards, manifest.get("cards", {}), report)
    _report_sections(report, manifest.get("sections", {}), section_hashes, cards)
    new_manifest = {
        "version": MANIFEST_VERSION,
        "generation": generation,
        "settings": settings_fingerprint(settings),
        "corpus_dir": str(corpus_dir),
        "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": new_files,
        "cards": new_cards,
        "sections": section_hashes,
        "failed": {
            f["file"]: {"hash": _hash_or_none(corpus_dir / f["file"], corpus_dir), "reason": f["reason"]} for f in report.failed
        },
    }
    catalog.write(new_manifest)  # the commit: readers switch to this manifest (and generation) now
    keep = manifest_chunk_ids(new_manifest)
    if generation != live:
        drop_generation(settings, live if live else None)  # the old generation (or the pre-generation layout)
        settings.manifest_path.unlink(missing_ok=True)  # the local manifest of onestop before generations
    else:
        store.delete((store.ids() | manifest_chunk_ids(manifest)) - keep)
        store.delete_card_entries(store.card_entry_ids() - manifest_card_entry_ids(new_manifest))
    return report, keep, new_cards


def _hash_or_none(path: Path, corpus_dir: Path) -> str | None:
    try:
        return file_fingerprint(path, corpus_dir)
    except (OneStopError, OSError):
        return None


def _plan(
    files: list[Path], corpus_dir: Path, manifest: dict, index_ids: set[str], settings: Settings
) -> tuple[IngestReport, dict, list[Chunk], list[Chunk]]:
    """Decide per file: unchanged, added, updated or failed; collect chunks that need vectors or new metadata."""
    report = IngestReport()
    old_files: dict = manifest["files"]
    new_files: dict = {}
    pending: dict[str, Chunk] = {}
    restamp: dict[str, Chunk] = {}  # stored chunks of changed files: same text, possibly new metadata
    fingerprints, owners = _fingerprints(files, corpus_dir, old_files, settings.limits)
    for path in files:
        rel = relative_name(path, corpus_dir)
        old = old_files.get(rel)
        try:
            fingerprint = fingerprints[rel]
            if isinstance(fingerprint, OneStopError):
                raise fingerprint
            if owners[fingerprint] != rel:
                raise CorpusError(f"same content as {owners[fingerprint]}; remove one of the copies")
            if old and old["hash"] == fingerprint and set(old["chunks"]) <= index_ids:
                new_files[rel] = old
                report.unchanged.append(rel)
                continue
            document = load_document(path, corpus_dir, settings.limits)
            chunks = chunk_document(document, settings.chunk_size, settings.chunk_overlap)
            if not chunks:
                raise CorpusError("no indexable text after removing headings and link lists")
        except OneStopError as exc:
            report.failed.append({"file": rel, "reason": str(exc)})
            if old:
                new_files[rel] = old  # keep what was indexed before
            continue
        new_files[rel] = {
            "hash": fingerprint,
            "chunks": [c.id for c in chunks],
            "title": document.meta.title,
            "topics": list(document.meta.topics),
            "last_reviewed": document.meta.last_reviewed.isoformat(),
        }
        (report.updated if old else report.added).append(rel)
        for chunk in chunks:
            if chunk.id not in index_ids:
                pending[chunk.id] = chunk
            else:
                restamp[chunk.id] = chunk
    report.removed = sorted(set(old_files) - {relative_name(p, corpus_dir) for p in files})
    return report, new_files, list(pending.values()), list(restamp.values())


def _fingerprints(
    files: list[Path], corpus_dir: Path, old_files: dict, limits: Limits
) -> tuple[dict[str, str | OneStopError], dict[str, str]]:
    """Each file's content hash (or why it cannot be read), and which file owns each hash.

    When two files have the same content, the one already indexed keeps it; otherwise the
    first by name does, so a new copy never displaces the original.
    """
    fingerprints: dict[str, str | OneStopError] = {}
    for path in files:
        rel = relative_name(path, corpus_dir)
        try:
            fingerprints[rel] = file_fingerprint(path, corpus_dir, limits)
        except OneStopError as exc:
            fingerprints[rel] = exc
    owners: dict[str, str] = {}
    for rel, fingerprint in sorted(
        fingerprints.items(), key=lambda item: (old_files.get(item[0], {}).get("hash") != item[1], item[0])
    ):
        if isinstance(fingerprint, str):
            owners.setdefault(fingerprint, rel)
    return fingerprints, owners


def _embed_and_write(store: VectorStore, embeddings: LocalEmbeddings, chunks: list[Chunk], progress: Progress | None) -> int:
    """Embed chunks (and their sentences) in batches and write each batch as soon as it is ready."""
    total = len(chunks)
    if progress and total:
        progress(0, total)
    for start in range(0, total, EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        per_chunk = [sentences(c.text) for c in batch]
        flat = [text for texts in per_chunk for text in texts]
        vectors = embeddings.embed_documents([c.embedding_text for c in batch] + flat)
        sentence_vectors = iter(vectors[len(batch) :])
        for chunk, texts in zip(batch, per_chunk):  # sentences first: a chunk is only used once they exist
            store.upsert_sentences(chunk.id, texts, [next(sentence_vectors) for _ in texts])
        store.upsert(batch, vectors[: len(batch)])
        if progress:
            progress(min(start + EMBED_BATCH, total), total)
    return total


def card_entry_id(fingerprint: str, phrase: str) -> str:
    """A card phrase's id: changes whenever the card or the phrase does."""
    return hashlib.sha256(f"{fingerprint}\n{phrase}".encode()).hexdigest()[:24]


def _sync_cards(store: VectorStore, embeddings: LocalEmbeddings, cards: CardSet, old_cards: dict, report: IngestReport) -> dict:
    """Embed and store the phrases of new or edited cards; a file with problems keeps its last good version."""
    broken_files = {problem.split(":", 1)[0] for problem in cards.problems}
    for problem in cards.problems:
        file, _, reason = problem.partition(": ")
        report.failed.append({"file": file, "reason": reason})
    index_ids = store.card_entry_ids()
    new_cards: dict = {}
    pending: list[tuple[str, str, str, str]] = []  # (entry id, card id, phrase, card json)
    for file in sorted(set(cards.files) | (broken_files & set(old_cards))):
        if file in broken_files and file in old_cards:
            new_cards[file] = old_cards[file]
            continue
        file_cards = [c for c in cards.cards.values() if c.source_file == file]
        entries: list[str] = []
        for card in file_cards:
            fingerprint = card.fingerprint()
            for phrase in card.phrases:
                entry_id = card_entry_id(fingerprint, phrase)
                entries.append(entry_id)
                if entry_id not in index_ids:
                    pending.append((entry_id, card.id, phrase, card.to_json_text() if phrase == card.question else ""))
        new_cards[file] = {"hash": cards.files[file], "entries": entries, "card_ids": [c.id for c in file_cards]}
    for start in range(0, len(pending), EMBED_BATCH * 4):
        batch = pending[start : start + EMBED_BATCH * 4]
        vectors = embeddings.embed_documents([phrase for _, _, phrase, _ in batch])
        store.upsert_card_entries([CardEntry(i, c, p, v, j) for (i, c, p, j), v in zip(batch, vectors)])
    return new_cards


def _section_hashes(corpus_dir: Path) -> dict[str, str]:
    return {name: hashlib.sha256(section.text.encode()).hexdigest()[:16] for name, section in corpus_sections(corpus_dir).items()}


def _report_sections(report: IngestReport, old: dict[str, str], new: dict[str, str], cards: CardSet) -> None:
    """Sections added, changed and removed since the last ingest, and the cards that cite changed ones."""
    changed = sorted(a for a in new.keys() & old.keys() if new[a] != old[a])
    report.sections = {
        "added": sorted(new.keys() - old.keys()) if old else [],
        "changed": changed,
        "removed": sorted(old.keys() - new.keys()),
    }
    touched = set(changed) | set(report.sections["removed"])
    report.cards_to_review = sorted(c.id for c in cards.cards.values() if touched & set(c.cites))


@contextmanager
def _exclusive_lock(path: Path):
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise OneStopError("Another ingest is running on this index; wait for it to finish.") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class IndexStats:
    """What the committed index holds, for the app's sidebar and first screen."""

    documents: int
    chunks: int
    last_ingest: str | None  # ISO timestamp of the last committed ingest


def index_stats(settings: Settings) -> IndexStats:
    """Documents, chunks and dates from the committed manifest (all empty if it cannot be read; asking says why)."""
    try:
        manifest = load_manifest(settings)
    except OneStopError:
        manifest = {"files": {}}
    return IndexStats(
        documents=len(manifest["files"]),
        chunks=len(manifest_chunk_ids(manifest)),
        last_ingest=manifest.get("updated"),
    )
