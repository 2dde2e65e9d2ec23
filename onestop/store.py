"""The vector store: the only module that talks to Chroma (embedded or server)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
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

    def count(self) -> int:
        """Number of chunks in the collection."""
        return self._collection.count()

    def ids(self) -> set[str]:
        """Every chunk id in the collection."""
        found: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(include=[], limit=5000, offset=offset)
            found.update(page["ids"])
            if len(page["ids"]) < 5000:
                return found
            offset += 5000

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

    def delete(self, ids: Iterable[str]) -> None:
        """Remove chunks by id (unknown ids are ignored)."""
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            self._collection.delete(ids=ids[start : start + _BATCH])

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
            page = self._collection.get(include=["documents", "metadatas"], limit=5000, offset=offset)
            chunks.extend(
                Chunk.from_metadata(i, d or "", m or {})
                for i, d, m in zip(page["ids"], page["documents"], page["metadatas"])
            )
            if len(page["ids"]) < 5000:
                return chunks
            offset += 5000


def topic_filter(topics: Sequence[str]) -> dict | None:
    """A Chroma `where` clause keeping chunks tagged with any of the topics."""
    clauses = [{f"topic_{t}": True} for t in topics]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def drop_collection(settings: Settings) -> None:
    """Delete the whole collection (for `onestop ingest --rebuild`)."""
    client = make_client(settings)
    try:
        client.delete_collection(settings.collection)
    except Exception:  # a missing collection is already gone
        pass
