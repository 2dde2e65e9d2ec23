"""Incremental, crash-safe sync of the corpus folder into the index.

Order of writes: new chunks are upserted first; then the manifest is replaced atomically
(the commit point); then chunks no longer listed are deleted. A crash at any point leaves
the previous chunks in place, and retrieval only uses chunks the manifest lists, so askers
always see the last committed state. The next run repairs whatever a crash left behind.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from onestop.checklists import check_all
from onestop.chunking import Chunk, chunk_document
from onestop.config import Settings
from onestop.corpus import discover, file_fingerprint, load_document, relative_name
from onestop.embeddings import LocalEmbeddings
from onestop.errors import CorpusError, OneStopError
from onestop.store import VectorStore, drop_collection

MANIFEST_VERSION = 1
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

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    def to_json(self) -> dict:
        """The summary as a JSON-ready dict."""
        return asdict(self)


def load_manifest(settings: Settings) -> dict:
    """The last committed manifest, or an empty one."""
    try:
        data = json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"version": MANIFEST_VERSION, "files": {}}
    data.setdefault("files", {})
    return data


def manifest_chunk_ids(manifest: dict) -> set[str]:
    """Every chunk id the manifest lists."""
    return {chunk_id for entry in manifest["files"].values() for chunk_id in entry["chunks"]}


def settings_fingerprint(settings: Settings) -> dict:
    """The settings that shape chunks and vectors: when they change, everything is re-indexed."""
    return {
        "embedding_model": settings.embedding_model,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
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
    with _exclusive_lock(settings.collection_dir / "ingest.lock"):
        manifest = load_manifest(settings)
        if manifest.get("settings") not in (None, settings_fingerprint(settings)):
            if manifest["settings"].get("embedding_model") != settings.embedding_model:
                rebuild = True  # vectors from another model cannot be mixed with new ones
            manifest = {"version": MANIFEST_VERSION, "files": {}}
        if rebuild:
            drop_collection(settings)
            manifest = {"version": MANIFEST_VERSION, "files": {}}
        embeddings = embeddings or LocalEmbeddings(settings.embedding_model)
        store = VectorStore(settings, embeddings, create=True)
        report, new_files, pending = _plan(files, corpus_dir, manifest, store.ids(), settings)
        report.embedded = _embed_and_write(store, embeddings, pending, progress)
        new_manifest = {
            "version": MANIFEST_VERSION,
            "settings": settings_fingerprint(settings),
            "corpus_dir": str(corpus_dir),
            "updated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "files": new_files,
        }
        _write_atomically(settings.manifest_path, new_manifest)
        keep = manifest_chunk_ids(new_manifest)
        store.delete((store.ids() | manifest_chunk_ids(manifest)) - keep)
    report.failed.extend(check_all(corpus_dir))  # a broken checklist reference fails the run loudly
    report.chunks = len(keep)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _plan(
    files: list[Path], corpus_dir: Path, manifest: dict, index_ids: set[str], settings: Settings
) -> tuple[IngestReport, dict, list[Chunk]]:
    """Decide per file: unchanged, added, updated or failed; collect chunks that need vectors."""
    report = IngestReport()
    old_files: dict = manifest["files"]
    new_files: dict = {}
    pending: dict[str, Chunk] = {}
    fingerprints, owners = _fingerprints(files, corpus_dir, old_files)
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
            document = load_document(path, corpus_dir)
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
    report.removed = sorted(set(old_files) - {relative_name(p, corpus_dir) for p in files})
    return report, new_files, list(pending.values())


def _fingerprints(
    files: list[Path], corpus_dir: Path, old_files: dict
) -> tuple[dict[str, str | OneStopError], dict[str, str]]:
    """Each file's content hash (or why it cannot be read), and which file owns each hash.

    When two files have the same content, the one already indexed keeps it; otherwise the
    first by name does, so a new copy never displaces the original.
    """
    fingerprints: dict[str, str | OneStopError] = {}
    for path in files:
        rel = relative_name(path, corpus_dir)
        try:
            fingerprints[rel] = file_fingerprint(path)
        except OneStopError as exc:
            fingerprints[rel] = exc
    owners: dict[str, str] = {}
    for rel, fingerprint in sorted(fingerprints.items(), key=lambda item: (old_files.get(item[0], {}).get("hash") != item[1], item[0])):
        if isinstance(fingerprint, str):
            owners.setdefault(fingerprint, rel)
    return fingerprints, owners


def _embed_and_write(
    store: VectorStore, embeddings: LocalEmbeddings, chunks: list[Chunk], progress: Progress | None
) -> int:
    """Embed chunks in batches and write each batch as soon as it is ready."""
    total = len(chunks)
    if progress and total:
        progress(0, total)
    for start in range(0, total, EMBED_BATCH):
        batch = chunks[start : start + EMBED_BATCH]
        vectors = embeddings.embed_documents([c.embedding_text for c in batch])
        store.upsert(batch, vectors)
        if progress:
            progress(min(start + EMBED_BATCH, total), total)
    return total


def _write_atomically(path: Path, data: dict) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


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
    """Documents, chunks and dates from the committed manifest."""
    manifest = load_manifest(settings)
    return IndexStats(
        documents=len(manifest["files"]),
        chunks=len(manifest_chunk_ids(manifest)),
        last_ingest=manifest.get("updated"),
    )
