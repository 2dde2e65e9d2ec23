"""The Checklists page: a guided form, the tailored checklist with tick boxes, and downloads."""

from __future__ import annotations

import streamlit as st

from onestop.checklists import Definition, Question, available, build, load_definition
from onestop.config import Settings
from onestop.errors import OneStopError
from onestop.export import render
from onestop.text import NOT_LEGAL_ADVICE
from onestop.ui.common import escape_markdown

DOWNLOADS = (
    ("md", "Markdown", "text/markdown"),
    ("csv", "CSV (spreadsheet)", "text/csv"),
    ("pdf", "PDF (printable)", "application/pdf"),
)


def render_checklist_page(settings: Settings) -> None:
    """Draw the whole Checklists page."""
    st.title("Checklists")
    st.markdown("Answer a few questions to get a checklist for your situation. Every item links to the guidance behind it.")
    st.info(NOT_LEGAL_ADVICE)
    names = available(settings.corpus_dir)
    if not names:
        st.error(f"No checklists found in {settings.corpus_dir / 'checklists'}.")
        return
    try:
        definitions = {name: load_definition(settings.corpus_dir, name) for name in names}
    except OneStopError as exc:
        st.error(f"A checklist definition is broken: {exc}")
        return
    name = st.radio("Which checklist?", names, format_func=lambda n: definitions[n].title, horizontal=True)
    definition = definitions[name]
    st.caption(definition.description)
    with st.form(f"form-{name}"):
        answers = {q.id: _widget(name, q) for q in definition.questions}
        submitted = st.form_submit_button("Make my checklist", type="primary")
    if submitted:
        st.session_state[f"answers-{name}"] = answers
    if f"answers-{name}" in st.session_state:
        _show(definition, st.session_state[f"answers-{name}"])


def _widget(name: str, question: Question):
    key = f"{name}-{question.id}"
    if question.type == "choice":
        return st.selectbox(question.text, question.options, index=question.options.index(question.default), key=key)
    if question.type == "multi":
        return st.multiselect(question.text, question.options, default=question.default, key=key)
    if question.type == "bool":
        return st.radio(question.text, ["No", "Yes"], index=int(bool(question.default)), horizontal=True, key=key) == "Yes"
    return st.number_input(
        question.text, min_value=question.minimum, max_value=question.maximum, value=question.default, step=1, key=key
    )


def _show(definition: Definition, answers: dict) -> None:
    try:
        checklist = build(definition, answers)
    except OneStopError as exc:
        st.error(str(exc))
        return
    st.header(checklist.title)
    st.caption(f"{len(checklist.items)} actions, generated on {checklist.generated.day} {checklist.generated:%B %Y}.")
    columns = st.columns(len(DOWNLOADS))
    for column, (fmt, label, mime) in zip(columns, DOWNLOADS):
        column.download_button(
            f"Download {label}",
            data=render(checklist, fmt),
            file_name=f"onestop-{checklist.name}-{checklist.generated.isoformat()}.{fmt}",
            mime=mime,
            key=f"download-{fmt}",
            icon=":material/download:",
            use_container_width=True,
        )
    for phase, items in checklist.groups:
        st.subheader(phase)
        for item in items:
            st.checkbox(item.text, key=f"tick-{checklist.name}-{item.id}")
            sources = "; ".join(f"[{escape_markdown(ref.label())}]({ref.url})" for ref in item.cites)
            why = f"Why: {escape_markdown(item.why)}  \n" if item.why else ""
            st.caption(f"{why}Sources: {sources}")
