"""Assemble the answering pipeline once per process; the CLI, the app and eval all use it."""

from __future__ import annotations

import os
from dataclasses import dataclass

from onestop.answer import Answer, ExtractiveAnswerer
from onestop.config import Settings
from onestop.embeddings import LocalEmbeddings
from onestop.retrieve import Retriever

# Never let LangChain tracing or Chroma telemetry send anything anywhere.
for _name, _value in (("LANGSMITH_TRACING", "false"), ("LANGCHAIN_TRACING_V2", "false"), ("ANONYMIZED_TELEMETRY", "False")):
    os.environ[_name] = _value


@dataclass
class Pipeline:
    """Settings, model, retriever and answerer, loaded once and shared."""

    settings: Settings
    embeddings: LocalEmbeddings
    retriever: Retriever
    answerer: ExtractiveAnswerer

    def ask(self, question: str, history: tuple[str, ...] = (), topics: tuple[str, ...] = (), k: int | None = None) -> Answer:
        """Answer one question with the configured answerer."""
        return self.answerer.ask(question, history=history, topics=topics, k=k or self.settings.top_k)


def open_pipeline(settings: Settings | None = None, embeddings: LocalEmbeddings | None = None) -> Pipeline:
    """Open the index for these settings (raises IndexMissing when there is none)."""
    settings = settings or Settings.from_env()
    embeddings = embeddings or LocalEmbeddings(settings.embedding_model)
    retriever = Retriever(settings, embeddings)
    answerer = ExtractiveAnswerer(retriever, settings.max_question_chars)
    return Pipeline(settings, embeddings, retriever, answerer)
