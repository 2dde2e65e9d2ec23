"""Helpers shared by the Streamlit pages: cached resources, safe text, dates."""

from __future__ import annotations

import datetime as dt
import html
import re

import streamlit as st

from onestop.config import Settings
from onestop.pipeline import Pipeline, open_pipeline
from onestop.text import strip_images

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@st.cache_resource(show_spinner="Loading the guidance index…")
def get_pipeline(settings: Settings) -> Pipeline:
    """One pipeline (model, index, retriever) per process, shared by every browser session."""
    return open_pipeline(settings)


def answer_markdown(text: str) -> str:
    """An answer's text made safe to render: raw HTML shown as text and images removed (links to sources stay)."""
    return html.escape(strip_images(text), quote=False)


def escape_markdown(text: str) -> str:
    """Show user-typed text literally: no HTML, no links, no formatting."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def is_out_of_date(iso: str, today: dt.date | None = None) -> bool:
    """True when a review date is more than 12 months ago."""
    today = today or dt.date.today()
    reviewed = dt.date.fromisoformat(iso[:10])
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return reviewed < year_ago
