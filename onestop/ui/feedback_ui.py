"""Under each answer on the Ask page: related questions to ask next, and "Did this answer your question?"."""

from __future__ import annotations

import uuid

import streamlit as st

from onestop.answer import Answer
from onestop.config import Settings
from onestop.errors import FeedbackError
from onestop.feedback import MAX_COMMENT_CHARS, record_feedback, record_from_answer
from onestop.ui.common import get_pipeline

MAX_RELATED = 3
FEEDBACK_NOTICE = (
    "If you answer, onestop keeps only your question, the ids of the sources behind this answer, "
    "your yes or no, your comment and the date, on this server for 12 months. It is never sent anywhere. "
    "Don't include names or health details, and don't answer if your question has them."
)


def render_after_answer(message: dict, settings: Settings) -> None:
    """Related questions as buttons, then the feedback question (left out when ONESTOP_FEEDBACK=off)."""
    key = message.setdefault("key", uuid.uuid4().hex)  # stable widget keys for this answer across reruns
    answer: Answer = message["answer"]
    _related_questions(answer, key)
    if settings.feedback:
        _feedback(message, answer, key, settings)


def _related_questions(answer: Answer, key: str) -> None:
    if not answer.suggestions:
        return
    st.markdown("**Closest questions we answer**" if answer.near_miss else "**Related questions**")
    for number, question in enumerate(answer.suggestions[:MAX_RELATED]):
        if st.button(question, key=f"related-{key}-{number}", icon=":material/arrow_forward:"):
            st.session_state["example_question"] = question  # the Ask page asks it on the next run
            st.rerun()


def _feedback(message: dict, answer: Answer, key: str, settings: Settings) -> None:
    """Nothing is kept until a feedback button is pressed; what is kept is said first."""
    state = message.get("feedback")
    if state == "sent":
        st.markdown("Thank you: your feedback was saved.")
        return
    if state == "missing":
        comment = st.text_area("What was missing? (optional)", key=f"feedback-comment-{key}", max_chars=MAX_COMMENT_CHARS)
        st.markdown(FEEDBACK_NOTICE)  # full-contrast text: what is kept must be plain to read
        send, cancel = st.columns(2)
        if send.button("Send feedback", key=f"feedback-send-{key}", icon=":material/send:"):
            _save(message, answer, settings, helpful=False, comment=comment)
        if cancel.button("Cancel", key=f"feedback-cancel-{key}"):
            message.pop("feedback")
            st.rerun()
        return
    st.markdown("**Did this answer your question?**")
    st.markdown(FEEDBACK_NOTICE)
    yes, no = st.columns(2)
    if yes.button("Yes, it did", key=f"feedback-yes-{key}", icon=":material/thumb_up:"):
        _save(message, answer, settings, helpful=True, comment="")
    if no.button("No, something was missing", key=f"feedback-no-{key}", icon=":material/thumb_down:"):
        message["feedback"] = "missing"
        st.rerun()


def _save(message: dict, answer: Answer, settings: Settings, helpful: bool, comment: str) -> None:
    record = record_from_answer(answer, helpful, comment, get_pipeline(settings).retriever.cards)
    try:
        record_feedback(settings.feedback_dir, record)
    except FeedbackError as exc:
        st.error(f"Your feedback could not be saved: {exc}")
        return
    message["feedback"] = "sent"
    st.rerun()
