"""The vector store: the only module that talks to Chroma (embedded or server)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from onestop.chunking import Chunk  # noqa: E402
from onestop.config import Settings  # noqa: E402
from onestop.errors import IndexDamaged, IndexMissing, StoreError  # noqa: E402

_BATCH = 256
_PAGE = 5000
SENTENCES_SUFFIX = ".sentences"
CARDS_SUFFIX = ".cards"
MANIFEST_SUFFIX = ".manifest"  # the catalog collection: the committed manifest and the ingest lease
_MANIFEST_ID = "manifest"
_LEASE_ID = "ingest-lease"
LEASE_SECONDS = 15 * 60  # an ingest that has not renewed its lease for this long is presumed dead
_T = TypeVar("_T")


@dataclass(frozen=True)
class CardEntry:
    """One stored card phrase (the question or an `asked_as`) with its vector."""

    id: str
    card_id: str
    phrase: str
    vector: list[float]
    card_json: str  # the whole card, stored on its question entry only ("" on the others)


def make_client(settings: Settings) -> chromadb.ClientAPI:
    """A Chroma client: HTTP when ONESTOP_CHROMA_URL is set, else a local persistent folder."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(unreachable(settings, exc)) from exc


def unreachable(settings: Settings, exc: BaseException) -> str:
    """A message a non-developer can act on when the store cannot be used."""
    if settings.chroma_url:
        return f"Cannot reach Chroma at {settings.chroma_url}: is `chroma run` running there? ({exc})"
    return f"Cannot use the index folder {settings.chroma_dir}: check it exists and you may write to it. ({exc})"


def generation_name(settings: Settings, generation: int) -> str:
    """The chunk collection of one index generation (a rebuild writes the next one, then switches)."""
    return f"{settings.collection}-g{generation}"


def _store_errors(method: Callable[..., _T]) -> Callable[..., _T]:
    """Turn any Chroma failure inside a store method into a StoreError the edges can explain."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"The index could not be read or written ({type(exc).__name__}: {exc}).") from exc

    return wrapper


def _dead_here(lease: dict) -> bool:
    """Whether a lease was taken on this machine by a process that no longer exists (a killed ingest)."""
    if lease.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(lease.get("pid", 0)), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):
        return False
    return int(lease.get("pid", 0)) <= 0


class Catalog:
    """The committed manifest of an index, kept in Chroma beside the vectors it describes.

    Every process and replica sharing the store reads the same manifest: its `generation` says
    which collections hold the live index and its version changes on every commit.
    """

    def __init__(self, settings: Settings, create: bool = False, client: chromadb.ClientAPI | None = None) -> None:
        self.settings = settings
        self.client = client or make_client(settings)
        name = settings.collection + MANIFEST_SUFFIX
        try:
            self._collection = self.client.get_or_create_collection(name) if create else self.client.get_collection(name)
        except Exception as exc:
            if create:
                raise StoreError(unreachable(settings, exc)) from exc
            raise IndexMissing(f"No index called {settings.collection!r} yet. Build it with: onestop ingest") from exc

    @_store_errors
    def version(self) -> str | None:
        """A short id of the committed manifest (None before the first commit); cheap to poll."""
        found = self._collection.get(ids=[_MANIFEST_ID], include=["metadatas"])
        return str(found["metadatas"][0]["version"]) if found["ids"] else None

    @_store_errors
    def read(self) -> dict | None:
        """The committed manifest, or None before the first commit."""
        found = self._collection.get(ids=[_MANIFEST_ID], include=["documents"])
        if not found["ids"]:
            return None
        try:
            manifest = json.loads(found["documents"][0] or "")
            if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
                raise ValueError("not a manifest")
        except ValueError as exc:
            where = self.settings.chroma_url or self.settings.collection_dir
            raise IndexDamaged(f"The index in {where} is damaged: run `onestop ingest --rebuild`.") from exc
        return manifest

    @_store_errors
    def write(self, manifest: dict) -> None:
        """Commit a manifest: from this moment every reader sees the index it describes."""
        text = json.dumps(manifest, sort_keys=True)
        version = hashlib.sha256(text.encode()).hexdigest()[:16]
        meta = {"version": version, "generation": int(manifest.get("generation", 0))}
        self._collection.upsert(ids=[_MANIFEST_ID], documents=[text], metadatas=[meta], embeddings=[[0.0]])

    @_store_errors
    def take_lease(self, owner: str) -> None:
        """Claim the right to ingest, across every machine sharing this store; StoreError if another ingest holds it."""
        found = self._collection.get(ids=[_LEASE_ID], include=["metadatas"])
        if found["ids"]:
            meta = found["metadatas"][0]
            if (
                meta.get("owner") != owner
                and time.time() - float(meta.get("renewed", 0)) < LEASE_SECONDS
                and not _dead_here(meta)
            ):
                raise StoreError(
                    f"Another ingest is running on this index (on {meta.get('host', 'another machine')}); wait for it to finish."
                )
        meta = {"owner": owner, "host": socket.gethostname(), "pid": os.getpid(), "renewed": time.time()}
        self._collection.upsert(ids=[_LEASE_ID], documents=[""], metadatas=[meta], embeddings=[[0.0]])
        if self._collection.get(ids=[_LEASE_ID], include=["metadatas"])["metadatas"][0].get("owner") != owner:
            raise StoreError("Another ingest started on this index at the same moment; wait for it to finish.")

    @_store_errors
    def release_lease(self, owner: str) -> None:
        """Give up the ingest lease if this owner holds it."""
        found = self._collection.get(ids=[_LEASE_ID], include=["metadatas"])
        if found["ids"] and found["metadatas"][0].get("owner") == owner:
            self._collection.delete(ids=[_LEASE_ID])


class VectorStore:
    """Chunks and their vectors in one generation's Chroma collections (cosine distance)."""

    def __init__(self, settings: Settings, embeddings: Embeddings, create: bool = False, generation: int | None = None) -> None:
        self.settings = settings
        self.client = make_client(settings)
        if generation is None:  # the committed generation (or, when creating a new index, the first)
            manifest = Catalog(settings, create=create, client=self.client).read()
            if manifest is None and not create:
                raise IndexMissing(f"No index called {settings.collection!r} yet. Build it with: onestop ingest")
            generation = int(manifest.get("generation", 0)) if manifest else 1
        self.generation = generation
        name = generation_name(settings, generation)
        try:
            self.langchain = Chroma(
                client=self.client,
                collection_name=name,
                embedding_function=embeddings,
                collection_metadata={"hnsw:space": "cosine"},
                create_collection_if_not_exists=create,
            )
        except Exception as exc:
            if not create:
                raise IndexMissing(f"No index called {settings.collection!r} yet. Build it with: onestop ingest") from exc
            raise StoreError(f"Cannot open the collection {settings.collection!r}: {exc}") from exc
        self._collection = self.langchain._collection
        try:
            self._sentences = self._side_collection(name + SENTENCES_SUFFIX, create)
            self._cards = self._side_collection(name + CARDS_SUFFIX, create)
        except Exception as exc:
            if not create:
                raise IndexMissing(
                    f"The index {settings.collection!r} was built by an older onestop. Rebuild it with: onestop ingest"
                ) from exc
            raise StoreError(f"Cannot open the collection {settings.collection!r}: {exc}") from exc

    def _side_collection(self, name: str, create: bool):
        if create:
            return self.client.get_or_create_collection(name, metadata={"hnsw:space": "cosine"})
        return self.client.get_collection(name)

    @_store_errors
    def count(self) -> int:
        """Number of chunks in the collection."""
        return self._collection.count()

    @_store_errors
    def ids(self) -> set[str]:
        """Every chunk id in the collection."""
        found: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=_PAGE, offset=offset)
            found.update(page["ids"])
            if len(page["ids"]) < _PAGE:
                return found
            offset += _PAGE

    @_store_errors
    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Write chunks with precomputed vectors (so Chroma never embeds anything itself)."""
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            self._collection.upsert(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.to_metadata() for c in batch],
                embeddings=[list(v) for v in vectors[start : start + _BATCH]],
            )

    @_store_errors
    def restamp(self, chunks: Sequence[Chunk]) -> int:
        """Rewrite the metadata of chunks already stored, keeping their vectors (nothing is embedded again)."""
        stored = self.vectors([c.id for c in chunks])
        present = [c for c in chunks if c.id in stored]
        self.upsert(present, [stored[c.id] for c in present])
        return len(present)

    @_store_errors
    def delete(self, ids: Iterable[str]) -> None:
        """Remove chunks and their sentence vectors by chunk id (unknown ids are ignored)."""
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            self._collection.delete(ids=batch)
            self._sentences.delete(where={"chunk_id": {"$in": batch}})

    @_store_errors
    def upsert_sentences(self, chunk_id: str, texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Store the vectors of a chunk's sentences, so answers never embed sentences at question time."""
        if not texts:
            return
        self._sentences.upsert(
            ids=[f"{chunk_id}.{i}" for i in range(len(texts))],
            documents=list(texts),
            metadatas=[{"chunk_id": chunk_id, "position": i} for i in range(len(texts))],
            embeddings=[list(v) for v in vectors],
        )

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[str, dict[str, list[float]]]:
        """Stored sentence vectors of these chunks: {chunk id: {sentence text: vector}}."""
        if not chunk_ids:
            return {}
        try:
            found = self._sentences.get(
                where={"chunk_id": {"$in": list(chunk_ids)}}, include=["documents", "metadatas", "embeddings"]
            )
        except Exception as exc:
            raise StoreError(f"Cannot read stored sentence vectors: {exc}") from exc
        result: dict[str, dict[str, list[float]]] = {}
        for text, meta, vector in zip(found["documents"], found["metadatas"], found["embeddings"]):
            result.setdefault(str(meta["chunk_id"]), {})[text] = list(vector)
        return result

    @_store_errors
    def card_entry_ids(self) -> set[str]:
        """Every stored card-phrase id."""
        return set(self._cards.get(include=[])["ids"])

    @_store_errors
    def upsert_card_entries(self, entries: Sequence[CardEntry]) -> None:
        """Store card phrases with their precomputed vectors."""
        for start in range(0, len(entries), _BATCH):
            batch = entries[start : start + _BATCH]
            self._cards.upsert(
                ids=[e.id for e in batch],
                documents=[e.phrase for e in batch],
                metadatas=[{"card_id": e.card_id, "card": e.card_json} for e in batch],
                embeddings=[list(e.vector) for e in batch],
            )

    @_store_errors
    def delete_card_entries(self, ids: Iterable[str]) -> None:
        """Remove card phrases by id."""
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            self._cards.delete(ids=ids[start : start + _BATCH])

    @_store_errors
    def card_entries(self) -> list[CardEntry]:
        """Every stored card phrase with its vector."""
        entries: list[CardEntry] = []
        offset = 0
        while True:
            page = self._cards.get(include=["documents", "metadatas", "embeddings"], limit=_PAGE, offset=offset)
            entries.extend(
                CardEntry(i, str(m["card_id"]), d or "", list(v), str(m.get("card") or ""))
                for i, d, m, v in zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"])
            )
            if len(page["ids"]) < _PAGE:
                return entries
            offset += _PAGE

    def vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunks (ids not in the store are left out)."""
        if not ids:
            return {}
        try:
            found = self._collection.get(ids=list(ids), include=["embeddings"])
        except Exception as exc:  # e.g. a vector segment still catching up after a killed writer
            raise StoreError(f"Cannot read stored vectors: {exc}") from exc
        return {i: list(v) for i, v in zip(found["ids"], found["embeddings"])}

    @_store_errors
    def search(self, vector: Sequence[float], k: int, topics: Sequence[str] = ()) -> list[tuple[Chunk, float]]:
        """Nearest chunks to a query vector, with cosine similarity (1 = identical)."""
        if k <= 0:
            return []
        results = self.langchain.similarity_search_by_vector_with_relevance_scores(list(vector), k=k, filter=topic_filter(topics))
        return [(Chunk.from_metadata(doc.id, doc.page_content, doc.metadata), 1.0 - distance) for doc, distance in results]

    @_store_errors
    def search_text(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """Plain LangChain similarity search from query text (the tutorials' dense retriever)."""
        results = self.langchain.similarity_search_with_score(query, k=k)
        return [(Chunk.from_metadata(doc.id, doc.page_content, doc.metadata), 1.0 - distance) for doc, distance in results]

    @_store_errors
    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the collection (for the lexical index and statistics)."""
        chunks: list[Chunk] = []
        offset = 0
        while True:
            page = self._collection.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            chunks.extend(
                Chunk.from_metadata(i, d or "", m or {}) for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
            )
            if len(page["ids"]) < _PAGE:
                return chunks
            offset += _PAGE


def topic_filter(topics: Sequence[str]) -> dict | None:
    """A Chroma `where` clause keeping chunks tagged with any of the topics."""
    clauses = [{f"topic_{t}": True} for t in topics]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def drop_generation(settings: Settings, generation: int | None) -> None:
    """Delete one generation's collections (None: the collections of onestop before generations)."""
    client = make_client(settings)
    base = settings.collection if generation is None else generation_name(settings, generation)
    for name in (base, base + SENTENCES_SUFFIX, base + CARDS_SUFFIX):
        try:
            client.delete_collection(name)
        except Exception:  # noqa: S110 - a missing collection is already gone
            pass
