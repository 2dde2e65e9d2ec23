"""The Ask page: a chat whose answers show their numbered, dated sources."""

from __future__ import annotations

import streamlit as st

from onestop.answer import Answer
from onestop.config import Settings
from onestop.corpus import TOPICS
from onestop.errors import IndexMissing, OneStopError
from onestop.ingest import index_stats
from onestop.text import NOT_LEGAL_ADVICE, long_date
from onestop.ui.common import answer_markdown, escape_markdown, get_pipeline, is_out_of_date
from onestop.ui.feedback_ui import render_after_answer
from onestop.ui.record import with_record

EXAMPLE_QUESTIONS = (
    "Who pays for Access to Work?",
    "How much is Statutory Sick Pay?",
    "What does 'may be fit for work' on a fit note mean?",
    "Can I ask about health at interview?",
    "How do I plan a phased return to work?",
    "What is Disability Confident?",
)


@with_record  # then 'Download this conversation', below the answer just given
def render_ask_page(settings: Settings) -> None:
    """Draw the whole Ask page."""
    st.title("onestop: ask about disability and sickness at work")
    topics = _sidebar(settings)
    messages: list[dict] = st.session_state.setdefault("messages", [])
    if not messages:
        _welcome(settings)  # shown at once, while the model loads on a server's first visit
    try:
        pipeline = get_pipeline(settings)
    except IndexMissing:
        st.error("The guidance index has not been built yet. Run `onestop ingest` (or `make run`), then reload this page.")
        return
    except OneStopError as exc:
        st.error(str(exc))
        return
    for message in messages:
        with st.chat_message(message["role"]):
            if message["role"] == "user":
                st.markdown(escape_markdown(message["content"]))
            else:
                render_answer(message["answer"])
                render_after_answer(message, settings)

    typed = st.chat_input("Ask a question, for example: who pays for Access to Work?")
    question = typed or st.session_state.pop("example_question", None)
    if not question:
        return
    history = tuple(m["content"] for m in messages if m["role"] == "user")
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(escape_markdown(question))
    with st.chat_message("assistant"):
        streamed = st.empty()
        received: list[str] = []

        def show_token(token: str) -> None:
            received.append(token)
            streamed.markdown(escape_markdown("".join(received)) + " ▌")

        try:
            with st.spinner("Searching the guidance…"):
                answer = pipeline.ask(question, history=history, topics=tuple(topics), on_token=show_token)
        except OneStopError as exc:  # e.g. the store cannot be reached: say so plainly, never a traceback
            streamed.empty()
            st.error(str(exc), icon=":material/error:")
            messages.pop()
            return
        streamed.empty()  # replace the raw stream with the validated, cited answer
        render_answer(answer)
        reply = {"role": "assistant", "answer": answer}
        render_after_answer(reply, settings)
    messages.append(reply)


def render_answer(answer: Answer) -> None:
    """Show an answer, its notices and its numbered sources."""
    if answer.refused:
        st.warning("Our guidance does not cover this question.", icon=":material/info:")
    st.markdown(answer_markdown(answer.text))
    for notice in answer.notices:
        st.info(notice)
    if answer.flagged:
        st.caption("Some references in this answer did not match a source and were removed.")
    if answer.citations:
        st.markdown("## Sources")
        for citation in answer.citations:
            chunk = citation.chunk
            where = chunk.section + (f", page {chunk.page}" if chunk.page else "")
            reviewed = f"Last reviewed {long_date(chunk.last_reviewed)}"
            if is_out_of_date(chunk.last_reviewed):
                reviewed += " (may be out of date)"
            dates = ""
            if chunk.applies_from:
                dates += f" Applies from {long_date(chunk.applies_from)}."
            if chunk.applies_until:
                dates += f" Applied until {long_date(chunk.applies_until)}."
            st.markdown(
                f"**[{citation.n}] {escape_markdown(chunk.title)}**, {escape_markdown(where)}  \n"
                f"{escape_markdown(chunk.publisher)} · {reviewed}.{dates}  \n"
                + "".join(f"> {escape_markdown(line)}  \n" for line in citation.snippet.splitlines() if line.strip())
                + "\n"
                f"[Official page: {escape_markdown(chunk.publisher)}]({chunk.url})"
            )
            with st.expander(f"Read the full guidance: source {citation.n}", icon=":material/menu_book:"):
                st.markdown(get_pipeline(Settings.from_env()).section_text(citation))


def _welcome(settings: Settings) -> None:
    stats = index_stats(settings)
    st.markdown(
        "Plain-English answers for small employers about hiring disabled people, sickness absence "
        "and return to work, with every statement linked to its source."
    )
    st.info(NOT_LEGAL_ADVICE)
    st.caption(f"Guidance last refreshed {long_date(stats.last_ingest)}.")
    st.markdown("## Try a question")
    columns = st.columns(2)
    for number, example in enumerate(EXAMPLE_QUESTIONS):
        if columns[number % 2].button(example, key=f"example-{number}", use_container_width=True):
            st.session_state["example_question"] = example
            st.rerun()


def _sidebar(settings: Settings) -> list[str]:
    with st.sidebar:
        st.header("Options")
        topics = st.multiselect(
            "Only use guidance on these topics",
            options=list(TOPICS),
            format_func=lambda t: t.replace("-", " ").capitalize(),
            help="Leave empty to search all the guidance.",
        )
        if st.button("Clear conversation", use_container_width=True):
            st.session_state["messages"] = []
            st.rerun()
        st.header("About the guidance")
        stats = index_stats(settings)
        st.markdown(
            f"- Documents: {stats.documents}\n- Passages: {stats.chunks}\n- Last refreshed: {long_date(stats.last_ingest)}"
        )
        st.caption(NOT_LEGAL_ADVICE)
    return topics
