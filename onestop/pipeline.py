"""Assemble the answering pipeline once per process; the CLI, the app and eval all use it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from collections.abc import Callable
from dataclasses import dataclass

from onestop.answer import Answer, ExtractiveAnswerer
from onestop.config import Settings
from onestop.embeddings import LocalEmbeddings
from onestop.retrieve import Retriever

if TYPE_CHECKING:
    from onestop.llm import LLMAnswerer

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
    llm_answerer: "LLMAnswerer | None" = None

    def ask(
        self,
        question: str,
        history: tuple[str, ...] = (),
        topics: tuple[str, ...] = (),
        k: int | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer one question: with the LLM when one is configured, else extractively."""
        k = k or self.settings.top_k
        if self.llm_answerer is not None:
            return self.llm_answerer.ask(question, history=history, topics=topics, k=k, on_token=on_token)
        return self.answerer.ask(question, history=history, topics=topics, k=k)


def open_pipeline(settings: Settings | None = None, embeddings: LocalEmbeddings | None = None) -> Pipeline:
    """Open the index for these settings (raises IndexMissing when there is none)."""
    settings = settings or Settings.from_env()
    embeddings = embeddings or LocalEmbeddings(settings.embedding_model)
    retriever = Retriever(settings, embeddings)
    answerer = ExtractiveAnswerer(retriever, settings.max_question_chars)
    llm_answerer = None
    if settings.llm:
        from onestop.llm import LLMAnswerer, make_chat_model

        llm_answerer = LLMAnswerer(answerer, make_chat_model(settings.llm, settings.ollama_url))
    return Pipeline(settings, embeddings, retriever, answerer, llm_answerer)
