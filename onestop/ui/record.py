"""Keep a record: download the conversation, with its cited sources, as Markdown or PDF."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st

from onestop.export import Turn, conversation_to_markdown, conversation_to_pdf

P = ParamSpec("P")


def with_record(page: Callable[P, None]) -> Callable[P, None]:
    """Draw the page, then the download buttons below its conversation (an answer just given included)."""

    @functools.wraps(page)
    def draw(*args: P.args, **kwargs: P.kwargs) -> None:
        page(*args, **kwargs)
        render_record(st.session_state.get("messages", []))

    return draw


def render_record(messages: list[dict]) -> None:
    """Offer the conversation as Markdown and PDF downloads once it holds an answer."""
    turns: list[Turn] = [(m["answer"].question, m["answer"]) for m in messages if m["role"] == "assistant"]
    if not turns:
        return
    today = dt.date.today()
    name = f"onestop-conversation-{today.isoformat()}"
    markdown, pdf = st.columns(2)
    markdown.download_button(
        "Download this conversation (Markdown)",
        data=conversation_to_markdown(turns, today).encode("utf-8"),
        file_name=f"{name}.md",
        mime="text/markdown",
        key="download-conversation-md",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    pdf.download_button(
        "Download this conversation (PDF)",
        data=conversation_to_pdf(turns, today),
        file_name=f"{name}.pdf",
        mime="application/pdf",
        key="download-conversation-pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
