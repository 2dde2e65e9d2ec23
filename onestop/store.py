"""The vector store: the only module that talks to Chroma (embedded or server)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from onestop.chunking import Chunk  # noqa: E402
from onestop.config import Settings  # noqa: E402
from onestop.errors import IndexMissing, StoreError  # noqa: E402

_BATCH = 256
_PAGE = 5000
SENTENCES_SUFFIX = ".sentences"
CARDS_SUFFIX = ".cards"


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
        where = settings.chroma_url or settings.chroma_dir
        raise StoreError(f"Cannot open the Chroma store at {where}: {exc}") from exc


class VectorStore:
    """Chunks and their vectors in one Chroma collection (cosine distance)."""

    def __init__(self, settings: Settings, embeddings: Embeddings, create: bool = False) -> None:
        self.settings = settings
        self.client = make_client(settings)
        try:
            self.langchain = Chroma(
                client=self.client,
                collection_name=settings.collection,
                embedding_function=embeddings,
                collection_metadata={"hnsw:space": "cosine"},
                create_collection_if_not_exists=create,
            )
        except Exception as exc:
            if not create:
                raise IndexMissing(
                    f"No index called {settings.collection!r} yet. Build it with: onestop ingest"
                ) from exc
            raise StoreError(f"Cannot open the collection {settings.collection!r}: {exc}") from exc
        self._collection = self.langchain._collection
        try:
            self._sentences = self._side_collection(settings.collection + SENTENCES_SUFFIX, create)
            self._cards = self._side_collection(settings.collection + CARDS_SUFFIX, create)
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

    def count(self) -> int:
        """Number of chunks in the collection."""
        return self._collection.count()

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

    def restamp(self, chunks: Sequence[Chunk]) -> int:
        """Rewrite the metadata of chunks already stored, keeping their vectors (nothing is embedded again)."""
        stored = self.vectors([c.id for c in chunks])
        present = [c for c in chunks if c.id in stored]
        self.upsert(present, [stored[c.id] for c in present])
        return len(present)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove chunks and their sentence vectors by chunk id (unknown ids are ignored)."""
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            self._collection.delete(ids=batch)
            self._sentences.delete(where={"chunk_id": {"$in": batch}})

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
            found = self._sentences.get(where={"chunk_id": {"$in": list(chunk_ids)}}, include=["documents", "metadatas", "embeddings"])
        except Exception as exc:
            raise StoreError(f"Cannot read stored sentence vectors: {exc}") from exc
        result: dict[str, dict[str, list[float]]] = {}
        for text, meta, vector in zip(found["documents"], found["metadatas"], found["embeddings"]):
            result.setdefault(str(meta["chunk_id"]), {})[text] = list(vector)
        return result

    def card_entry_ids(self) -> set[str]:
        """Every stored card-phrase id."""
        return set(self._cards.get(include=[])["ids"])

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

    def delete_card_entries(self, ids: Iterable[str]) -> None:
        """Remove card phrases by id."""
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            self._cards.delete(ids=ids[start : start + _BATCH])

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

    def search(self, vector: Sequence[float], k: int, topics: Sequence[str] = ()) -> list[tuple[Chunk, float]]:
        """Nearest chunks to a query vector, with cosine similarity (1 = identical)."""
        if k <= 0:
            return []
        results = self.langchain.similarity_search_by_vector_with_relevance_scores(
            list(vector), k=k, filter=topic_filter(topics)
        )
        return [(Chunk.from_metadata(doc.id, doc.page_content, doc.metadata), 1.0 - distance) for doc, distance in results]

    def search_text(self, query: str, k: int) -> list[tuple[Chunk, float]]:
        """Plain LangChain similarity search from query text (the tutorials' dense retriever)."""
        results = self.langchain.similarity_search_with_score(query, k=k)
        return [(Chunk.from_metadata(doc.id, doc.page_content, doc.metadata), 1.0 - distance) for doc, distance in results]

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the collection (for the lexical index and statistics)."""
        chunks: list[Chunk] = []
        offset = 0
        while True:
            page = self._collection.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            chunks.extend(
                Chunk.from_metadata(i, d or "", m or {})
                for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
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


def drop_collection(settings: Settings) -> None:
    """Delete the whole collection (for `onestop ingest --rebuild`)."""
    client = make_client(settings)
    for name in (settings.collection, settings.collection + SENTENCES_SUFFIX, settings.collection + CARDS_SUFFIX):
        try:
            client.delete_collection(name)
        except Exception:  # a missing collection is already gone
            pass
