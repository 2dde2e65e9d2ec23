"""The optional LLM answerer (LangChain chat model), with citations validated against retrieval.

Configured only by environment: ONESTOP_LLM=ollama:<model> (ONESTOP_OLLAMA_URL) or
ONESTOP_LLM=openai:<model> (OPENAI_API_KEY, optional OPENAI_BASE_URL for any
OpenAI-compatible server). Without ONESTOP_LLM the extractive answerer is used.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from onestop.answer import (
    REFUSAL_THRESHOLD,
    Answer,
    Citation,
    ExtractiveAnswerer,
    date_notices,
    evidence_strength,
)
from onestop.compose import Thresholds
from onestop.errors import LLMError
from onestop.questions import clean_question, resolve_follow_up
from onestop.retrieve import Hit
from onestop.text import sentences, strip_images, tokens

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
PROMPT_FILES = ("system.md", "answer.md", "condense.md")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"<?(?:https?|ftp)://[^\s>)]+>?|\bwww\.[^\s)]+", re.I)
_FIGURE = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s?%|\b\d[\d,]*(?:\.\d+)?\b")
KEY_TERM_SHARE = 0.4  # a cited sentence must share at least this much of its key terms with its sources


@dataclass(frozen=True)
class Prompts:
    """The prompt texts, loaded once from `prompts/`."""

    system: str
    answer: str
    condense: str


def load_prompts(folder: Path = PROMPTS_DIR) -> Prompts:
    """Read system, answer and follow-up condensing prompts from the prompts folder."""
    try:
        texts = {name: (folder / name).read_text(encoding="utf-8") for name in PROMPT_FILES}
    except OSError as exc:
        raise LLMError(f"Cannot read the prompt files in {folder}: {exc}") from exc
    return Prompts(texts["system.md"], texts["answer.md"], texts["condense.md"])


def make_chat_model(spec: str, ollama_url: str) -> BaseChatModel:
    """Build the chat model named by ONESTOP_LLM (`ollama:<model>` or `openai:<model>`)."""
    provider, _, model = spec.partition(":")
    if not model:
        raise LLMError(f"ONESTOP_LLM must look like 'ollama:<model>' or 'openai:<model>' (got {spec!r}).")
    try:
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=model, base_url=ollama_url, temperature=0)
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            if not os.environ.get("OPENAI_API_KEY"):
                raise LLMError("ONESTOP_LLM=openai:… needs OPENAI_API_KEY (any value for a local server).")
            return ChatOpenAI(model=model, temperature=0, base_url=os.environ.get("OPENAI_BASE_URL") or None)
    except ImportError as exc:
        raise LLMError(f"The {provider} client is not installed: run `.venv/bin/pip install -e '.[llm]'`.") from exc
    raise LLMError(f"Unknown LLM provider {provider!r} in ONESTOP_LLM; use 'ollama' or 'openai'.")


def format_sources(hits: Sequence[Hit]) -> str:
    """Number the retrieved chunks for the prompt, as data."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        c = hit.chunk
        dates = f" (applies from {c.applies_from})" if c.applies_from else ""
        text = c.text.replace("SOURCES>>>", "SOURCES»").replace("<<<SOURCES", "«SOURCES")
        blocks.append(f"[{n}] {c.title} — {c.section}{dates}\n{text}")
    return "\n\n".join(blocks)


def untrusted_markdown(text: str) -> str:
    """Model output made inert: no images, no links, no bare URLs, no raw HTML (OWASP LLM02: insecure output)."""
    text = strip_images(text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub("", text)
    return html.escape(text, quote=False)


def supported(sentence: str, sources: Sequence[str]) -> bool:
    """Whether a cited sentence's figures and most of its key terms appear in the sources it cites."""
    source_text = " ".join(sources)
    figures = [f.rstrip(".,") for f in _FIGURE.findall(sentence)]
    if any(figure not in source_text for figure in figures):
        return False
    words = set(tokens(sentence))
    return not words or len(words & set(tokens(source_text))) / len(words) >= KEY_TERM_SHARE


def validate_citations(text: str, hits: Sequence[Hit]) -> tuple[str, tuple[Citation, ...], bool]:
    """Keep only sentences cited to a retrieved chunk that supports them; renumber markers 1..n.

    An uncited sentence is dropped (it never inherits a neighbour's marker), as is a cited
    sentence whose figures or key terms are not in its cited chunks. Snippets are always the
    chunks' own text, never the model's. Returns the cleaned text, its citations and whether
    anything had to be removed.
    """
    flagged = False
    numbers: dict[int, int] = {}
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        kept_sentences = []
        for sentence in sentences(paragraph):
            cited = [int(m) for m in _MARKER.findall(sentence)]
            valid = list(dict.fromkeys(m for m in cited if 1 <= m <= len(hits)))
            bare = re.sub(r"\s+([.,;:])", r"\1", _MARKER.sub("", sentence).strip())
            if len(valid) != len(set(cited)) or not valid or not supported(bare, [hits[m - 1].chunk.text for m in valid]):
                flagged = True
                continue
            for m in valid:
                numbers.setdefault(m, len(numbers) + 1)
            kept_sentences.append(f"{bare} " + "".join(f"[{numbers[m]}]" for m in valid))
        if kept_sentences:
            paragraphs.append(" ".join(kept_sentences))
    citations = tuple(
        Citation(new, hits[old - 1].chunk, hits[old - 1].chunk.text[:600], hits[old - 1].dense or hits[old - 1].score)
        for old, new in sorted(numbers.items(), key=lambda item: item[1])
    )
    return "\n\n".join(paragraphs), citations, flagged


def fence_question(question: str) -> str:
    """The employer's question as data: it cannot close its own fence in the prompt."""
    return question.replace("QUESTION>>>", "QUESTION»").replace("<<<QUESTION", "«QUESTION")


class LLMAnswerer:
    """Answers with a chat model over the retrieved chunks; falls back to the extractive answerer."""

    def __init__(self, fallback: ExtractiveAnswerer, model: BaseChatModel, prompts: Prompts | None = None) -> None:
        self.fallback = fallback
        self.retriever = fallback.retriever
        self.model = model
        self.prompts = prompts or load_prompts()

    def with_card_sections(self, question: str, hits: list[Hit], topics: Sequence[str]) -> list[Hit]:
        """Put the sections cited by the best-matching answer card first, so the model sees what the card rests on."""
        matches = self.retriever.match_cards([question], topics)[0]
        if not matches or matches[0].score < Thresholds().card:
            return hits
        card_chunks = [c for anchor in matches[0].card.cites for c in self.retriever.section_chunks(anchor)]
        first = [Hit(c, 1.0, dense=matches[0].dense) for c in dict.fromkeys(card_chunks)]
        seen = {h.chunk.id for h in first}
        return first + [h for h in hits if h.chunk.id not in seen]

    def condense(self, question: str, history: Sequence[str]) -> str:
        """Turn a follow-up into a stand-alone question with the model (heuristic if it fails)."""
        if not history:
            return question
        prompt = self.prompts.condense.format(history="\n".join(f"- {h}" for h in history[-3:]), question=question)
        try:
            rewritten = str(self.model.invoke([HumanMessage(prompt)]).content).strip()
        except Exception:  # the model is optional: never let it break answering
            rewritten = ""
        return rewritten if tokens(rewritten) else resolve_follow_up(question, history)

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        topics: Sequence[str] = (),
        k: int = 5,
        on_token: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer with the model, streaming tokens to `on_token`; validated, cited, or extractive."""
        text, notices = clean_question(question, self.fallback.max_question_chars)
        if not tokens(text):
            return self.fallback.ask(question, history, topics, k)
        resolved = self.condense(text, history)
        hits = self.with_card_sections(resolved, self.retriever.hybrid(resolved, k, topics), topics)
        if evidence_strength(hits) < REFUSAL_THRESHOLD:
            return self.fallback.refuse(question, resolved, notices)
        messages = [
            SystemMessage(self.prompts.system),
            HumanMessage(self.prompts.answer.format(sources=format_sources(hits), question=fence_question(text))),
        ]
        try:
            if on_token is None:
                raw = str(self.model.invoke(messages).content)
            else:
                parts = []
                for piece in self.model.stream(messages):
                    parts.append(str(piece.content))
                    on_token(str(piece.content))
                raw = "".join(parts)
        except Exception as exc:  # fall back rather than fail the user
            answer = self.fallback.answer_from(question, resolved, hits, notices)
            return replace(
                answer,
                notices=answer.notices
                + (f"The language model failed ({type(exc).__name__}), so this answer quotes the guidance directly.",),
            )
        body, citations, flagged = validate_citations(untrusted_markdown(raw), hits)
        if not citations:
            answer = self.fallback.answer_from(question, resolved, hits, notices)
            return replace(answer, flagged=True)
        return Answer(question, body, False, citations, notices + date_notices(citations), flagged, tuple(hits))
