"""Streamlit AppTest of app.py over a real index: chat, examples, sources, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow
APP = str(Path(__file__).parents[1] / "app.py")


@pytest.fixture
def app(shared_index, monkeypatch) -> AppTest:
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(shared_index.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(shared_index.index_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def all_markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_first_screen_has_purpose_examples_and_notice(app: AppTest) -> None:
    assert "not legal advice" in " ".join(i.value for i in app.info)
    assert len([b for b in app.button if b.key and b.key.startswith("example-")]) == 6
    assert any("last refreshed" in c.value.lower() for c in app.caption)


def test_chat_question_shows_answer_with_sources(app: AppTest) -> None:
    app.chat_input[0].set_value("Who pays for Access to Work?").run()
    assert not app.exception
    text = all_markdown(app)
    assert "[1]" in text and "Access to Work for employers" in text
    assert "https://www.gov.uk/access-to-work" in text and "Last reviewed 30 November 2026" in text


def test_example_button_asks_its_question(app: AppTest) -> None:
    button = next(b for b in app.button if b.label == "How much is Statutory Sick Pay?")
    button.click().run()
    assert not app.exception
    assert "£123.25" in all_markdown(app)


def test_follow_up_uses_the_previous_question(app: AppTest) -> None:
    app.chat_input[0].set_value("What is Access to Work?").run()
    app.chat_input[0].set_value("and who pays for it?").run()
    assert not app.exception
    assert len(app.chat_message) == 4
    assert "Access to Work" in app.chat_message[3].markdown[0].value


def test_html_in_a_question_is_shown_as_text(app: AppTest) -> None:
    app.chat_input[0].set_value("<script>alert(1)</script> [click](https://evil.example)").run()
    user_text = app.chat_message[0].markdown[0].value
    assert "<script>" not in user_text and "](https" not in user_text


CHECKLISTS = str(Path(__file__).parents[1] / "views" / "checklists.py")
CALCULATORS = str(Path(__file__).parents[1] / "views" / "calculators.py")


def test_checklist_page_form_generates_with_downloads(monkeypatch) -> None:
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(Path(__file__).parents[1] / "corpus"))
    at = AppTest.from_file(CHECKLISTS, default_timeout=60)
    at.run()
    assert not at.exception
    at.radio[0].set_value("return-to-work").run()
    at.number_input(key="return-to-work-absence_weeks").set_value(5)
    at.selectbox(key="return-to-work-fit_note").set_value("May be fit for work")
    at.multiselect(key="return-to-work-fit_note_advice").set_value(["Phased return to work"])
    at.selectbox(key="return-to-work-condition_type").set_value("Mental health")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert "Planning the return" in headers
    downloads = [e for e in at.get("download_button")]
    assert len(downloads) == 3
    labels = [c.label for c in at.checkbox]
    assert any("phased return" in label.lower() for label in labels)


def test_calculator_page_shows_current_ssp_and_top_up(monkeypatch) -> None:
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(Path(__file__).parents[1] / "corpus"))
    at = AppTest.from_file(CALCULATORS, default_timeout=60)
    at.run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Weekly SSP"] == "£123.25"
    assert values["You pay (estimate)"] == "£1,000.00"
    assert values["Wages"].startswith("£")


def test_navigation_reaches_the_checklists_page(app: AppTest) -> None:
    app.switch_page("views/checklists.py").run()
    assert not app.exception
    assert app.title[0].value == "Checklists"


def test_clear_conversation_and_topic_filter(app: AppTest) -> None:
    app.sidebar.multiselect[0].set_value(["statutory-sick-pay"]).run()
    app.chat_input[0].set_value("How many weeks can Statutory Sick Pay be paid for?").run()
    assert not app.exception
    sources = [m.value for m in app.chat_message[1].markdown if m.value.startswith("**[")]
    assert sources and all("Statutory Sick Pay" in s for s in sources)
    next(b for b in app.sidebar.button if b.label == "Clear conversation").click().run()
    assert len(app.chat_message) == 0


def test_missing_index_is_a_clear_message(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(tmp_path / "nothing-here"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "onestop ingest" in at.error[0].value


def test_sources_open_their_full_section_and_the_conversation_downloads(app: AppTest) -> None:
    assert not app.get("download_button")  # nothing to keep before the first answer
    app.chat_input[0].set_value("Who pays for Access to Work?").run()
    assert not app.exception
    sources = [m.value for m in app.chat_message[1].markdown if m.value.startswith("**[")]
    sections = [e for e in app.expander if e.label.startswith("Read the full guidance")]
    assert sources and len(sections) == len(sources)
    quoted = sources[0].split("\n> ")[1].split("  \n")[0].replace("\\", "")
    full = sections[0].markdown[0].value
    assert len(full) > len(quoted) and quoted.split(". ")[0][:40] in " ".join(full.split())
    labels = ["Download this conversation (Markdown)", "Download this conversation (PDF)"]
    assert [d.proto.label for d in app.get("download_button")] == labels
    app.run()  # any later rerun (a click elsewhere) keeps them
    assert [d.proto.label for d in app.get("download_button")] == labels


def test_an_index_failure_while_asking_is_a_callout_not_a_traceback(built_index, monkeypatch) -> None:
    from conftest import damage_manifest

    settings, _ = built_index
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(settings.index_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.chat_input[0].set_value("Who pays for Access to Work?").run()
    assert not at.exception and not at.error
    damage_manifest(settings, "{not json")  # the index is damaged while the app is running
    at.chat_input[0].set_value("How much is Statutory Sick Pay?").run()
    assert not at.exception
    assert "onestop ingest --rebuild" in at.error[0].value
