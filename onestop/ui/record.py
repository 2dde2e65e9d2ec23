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
    downloads = (
        (markdown, "Markdown", conversation_to_markdown(turns, today).encode("utf-8"), "md", "text/markdown", "download"),
        (pdf, "PDF", conversation_to_pdf(turns, today), "pdf", "application/pdf", "picture_as_pdf"),
    )
    for column, label, data, suffix, mime, icon in downloads:
        column.download_button(
            f"Download this conversation ({label})",
            data=data,
            file_name=f"{name}.{suffix}",
            mime=mime,
            key=f"download-conversation-{suffix}",
            on_click="ignore",
            icon=f":material/{icon}:",
            width="stretch",
        )
