"""Assemble the answering pipeline once per process; the CLI, the app and eval all use it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from onestop.answer import Answer, Citation, ExtractiveAnswerer
from onestop.calculators import load_rates
from onestop.chunking import join_chunks
from onestop.compose import CardAnswerer
from onestop.config import Settings
from onestop.embeddings import LocalEmbeddings, limit_blas_threads
from onestop.errors import OneStopError, StoreError
from onestop.questions import clean_question, resolve_follow_up
from onestop.referrals import DangerWords, load_danger_words, load_referrals, load_scope
from onestop.retrieve import Retriever
from onestop.text import tokens

if TYPE_CHECKING:
    from onestop.llm import LLMAnswerer

# Never let LangChain tracing or Chroma telemetry send anything anywhere.
for _name, _value in (("LANGSMITH_TRACING", "false"), ("LANGCHAIN_TRACING_V2", "false"), ("ANONYMIZED_TELEMETRY", "False")):
    os.environ[_name] = _value


# How answers are made: "cards" (onestop), "sections" (no answer cards: hybrid retrieval and
# sentence extraction) and "dense" (the tutorials' dense top-k). Evaluation swaps only this.
ANSWERING = ("cards", "sections", "dense")
EMPTY_QUESTION = "Please type a question about employing or supporting someone."


@dataclass
class Pipeline:
    """Settings, model, retriever and answerers, loaded once and shared."""

    settings: Settings
    embeddings: LocalEmbeddings
    retriever: Retriever
    answerer: ExtractiveAnswerer
    composer: CardAnswerer
    llm_answerer: LLMAnswerer | None = None
    answering: str = "cards"

    def ask(
        self,
        question: str,
        history: tuple[str, ...] = (),
        topics: tuple[str, ...] = (),
        k: int | None = None,
        on_token: Callable[[str], None] | None = None,
        today: dt.date | None = None,
    ) -> Answer:
        """The only way an answer is made: clean → resolve → retrieve (cards + sections) → compose → cite."""
        try:
            return self._answer(question, history, topics, k or self.settings.top_k, on_token, today)
        except StoreError:  # the index switched under this question (a rebuild elsewhere): reopen, ask again
            self.retriever.reopen()
            return self._answer(question, history, topics, k or self.settings.top_k, on_token, today)

    def _answer(
        self,
        question: str,
        history: tuple[str, ...],
        topics: tuple[str, ...],
        k: int,
        on_token: Callable[[str], None] | None,
        today: dt.date | None,
    ) -> Answer:
        if self.llm_answerer is not None:
            return self.llm_answerer.ask(question, history=history, topics=topics, k=k, on_token=on_token)
        self.retriever.refresh()
        text, notices = clean_question(question, self.settings.max_question_chars)
        if not tokens(text):
            return Answer(question, EMPTY_QUESTION, True, (), notices)
        resolved = resolve_follow_up(text, history)
        if self.answering == "dense":
            return self.answerer.respond(question, resolved, self.retriever.dense_baseline(resolved, k), notices)
        if self.answering == "sections":
            return self.answerer.respond(question, resolved, self.retriever.hybrid(resolved, k, topics), notices)
        return self.composer.answer(question, resolved, topics, k, notices, today)

    def warm_up(self) -> None:
        """Load everything the first answer needs (model weights, card matrix, BM25) with a fixed phrase."""
        self.retriever.match_cards(["How much Statutory Sick Pay do I have to pay?"])
        self.retriever.hybrid("How much Statutory Sick Pay do I have to pay?", 1)

    def section_text(self, citation: Citation) -> str:
        """The whole section a citation quotes, from the index; its snippet when the section is not there."""
        chunks = self.retriever.section_chunks(citation.chunk.anchor) if citation.chunk.anchor else []
        return join_chunks([chunk.text for chunk in chunks]) or citation.snippet


def open_pipeline(settings: Settings | None = None, embeddings: LocalEmbeddings | None = None) -> Pipeline:
    """Open the index for these settings (raises IndexMissing when there is none)."""
    settings = settings or Settings.from_env()
    limit_blas_threads()  # numpy may have been imported (e.g. by Streamlit) before the variable was set
    embeddings = embeddings or LocalEmbeddings(settings.embedding_model)
    retriever = Retriever(settings, embeddings)
    answerer = ExtractiveAnswerer(retriever, settings.max_question_chars)
    try:
        rates = load_rates(settings.corpus_dir)
    except OneStopError:
        rates = None  # no worked figures; every answer still works
    try:
        referrals, scope = load_referrals(settings.corpus_dir), load_scope(settings.corpus_dir)
        danger = load_danger_words(settings.corpus_dir)
    except OneStopError:
        referrals, scope, danger = (), (), DangerWords()  # `onestop check` names the problem; answering still works
    composer = CardAnswerer(retriever, answerer, rates, referrals=referrals, scope=scope, danger=danger)
    llm_answerer = None
    if settings.llm:
        from onestop.llm import LLMAnswerer, make_chat_model

        llm_answerer = LLMAnswerer(answerer, make_chat_model(settings.llm, settings.ollama_url))
    return Pipeline(settings, embeddings, retriever, answerer, composer, llm_answerer)
