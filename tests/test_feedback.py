"""Feedback: nothing kept without a click, only the stated fields, safe concurrent writes, retention, the editors' report."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from onestop.answer import Answer, Citation, Part
from onestop.chunking import Chunk
from onestop.cli import main
from onestop.config import Settings
from onestop.errors import FeedbackError, SettingsError
from onestop.feedback import (
    RECORD_KEYS,
    FeedbackRecord,
    Outcome,
    feedback_report,
    format_report,
    month_file,
    purge_before,
    read_feedback,
    record_feedback,
    record_from_answer,
    retention_cutoff,
)

REPO = Path(__file__).parents[1]
APP = str(REPO / "app.py")
TODAY = dt.date(2026, 11, 30)


def record(
    question: str = "what do I pay a zero hours worker off sick",
    *,
    day: dt.date = TODAY,
    helpful: bool = False,
    outcome: Outcome = "answered",
    cards: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    comment: str = "",
) -> FeedbackRecord:
    return FeedbackRecord(day, question, helpful, comment, outcome, ("statutory-sick-pay.md#how-much",), cards, topics)


def append_line(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")


def stored_lines(directory: Path) -> list[dict]:
    return [json.loads(line) for path in sorted(directory.glob("feedback-*.jsonl")) for line in path.read_text().splitlines()]


# --- settings -----------------------------------------------------------------------------------


def test_settings_default_on_and_off_switch() -> None:
    assert Settings.from_env({}).feedback is True and Settings.from_env({}).feedback_dir == Path("feedback")
    assert Settings.from_env({"ONESTOP_FEEDBACK": "off"}).feedback is False
    assert Settings.from_env({"ONESTOP_FEEDBACK_DIR": "/srv/fb"}).feedback_dir == Path("/srv/fb")
    with pytest.raises(SettingsError, match="ONESTOP_FEEDBACK must be on or off"):
        Settings.from_env({"ONESTOP_FEEDBACK": "maybe"})


def test_feedback_folder_is_ignored_by_git_and_kept_by_make_clean() -> None:
    assert "/feedback/" in (REPO / ".gitignore").read_text().splitlines()
    makefile = (REPO / "Makefile").read_text()
    clean = makefile[makefile.index("\nclean:") :]
    assert "feedback" not in clean


# --- storage ------------------------------------------------------------------------------------


def test_a_record_is_one_private_json_line_in_its_month_file(tmp_path: Path) -> None:
    directory = tmp_path / "feedback"
    path = record_feedback(directory, record(comment="the rate for zero hours staff"), today=TODAY)
    assert path == month_file(directory, TODAY) and path.name == "feedback-2026-11.jsonl"
    [line] = stored_lines(directory)
    assert tuple(line) == RECORD_KEYS and line["comment"] == "the rate for zero hours staff" and line["date"] == "2026-11-30"
    assert FeedbackRecord.from_json(line) == record(comment="the rate for zero hours staff")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_record_from_answer_keeps_only_the_question_sources_and_cards() -> None:
    chunk = Chunk(
        "c1",
        "text",
        "statutory-sick-pay.md",
        "SSP",
        "How much",
        None,
        ("statutory-sick-pay",),
        "2026-11-30",
        "https://www.gov.uk/statutory-sick-pay",
        "GOV.UK",
        anchor="statutory-sick-pay.md#how-much",
    )
    answered = Answer(
        "How much is SSP?",
        "£123.25 a week [1]",
        False,
        (Citation(1, chunk, "£123.25", 0.9, "ssp-how-much"),),
        parts=(Part("How much?", "ssp-how-much", 0.9),),
        suggestions=("How long do I pay Statutory Sick Pay for?",),
    )
    made = record_from_answer(answered, False, "  zero hours  ", {}, today=TODAY)
    assert (made.outcome, made.sources, made.cards, made.topics, made.comment) == (
        "answered",
        ("statutory-sick-pay.md#how-much",),
        ("ssp-how-much",),
        ("statutory-sick-pay",),
        "zero hours",
    )

    class FakeCard:
        question = "How long do I pay Statutory Sick Pay for?"

    near = Answer(
        "ssp for a zero hours worker?",
        "closest questions",
        False,
        (),
        near_miss=True,
        suggestions=("How long do I pay Statutory Sick Pay for?",),
    )
    made = record_from_answer(near, True, "", {"ssp-how-long": FakeCard()}, today=TODAY)  # type: ignore[dict-item]
    assert (made.outcome, made.cards, made.topics) == ("near_miss", ("ssp-how-long",), ())


WRITER = """
import datetime as dt, sys
from pathlib import Path
from onestop.feedback import FeedbackRecord, record_feedback
directory, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for i in range(count):
    tag = f"{name}-{i}"
    record_feedback(directory, FeedbackRecord(dt.date.today(), tag, False, (tag + "|") * 1500, "answered", (), (), ()))
"""


def check_intact(directory: Path, expected: set[str]) -> None:
    lines = [line for path in directory.glob("feedback-*.jsonl") for line in path.read_text().splitlines()]
    records = [FeedbackRecord.from_json(json.loads(line)) for line in lines]  # every line a whole, valid record
    assert sorted(r.question for r in records) == sorted(expected)
    assert all(r.comment == (r.question + "|") * 1500 for r in records)


def test_concurrent_processes_never_lose_or_mix_records(tmp_path: Path) -> None:
    directory = tmp_path / "feedback"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(directory), f"p{n}", "40"]) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    check_intact(directory, {f"p{n}-{i}" for n in range(4) for i in range(40)})


def test_concurrent_threads_never_lose_or_mix_records(tmp_path: Path) -> None:
    directory = tmp_path / "feedback"

    def write(tag: str) -> None:
        record_feedback(directory, FeedbackRecord(dt.date.today(), tag, False, (tag + "|") * 1500, "answered", (), (), ()))

    tags = [f"t{i}" for i in range(120)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, tags))
    check_intact(directory, set(tags))


def test_records_older_than_12_months_are_deleted_on_write(tmp_path: Path) -> None:
    directory = tmp_path / "feedback"
    cutoff = retention_cutoff(TODAY)
    assert cutoff == dt.date(2025, 11, 30) and retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    for day in (dt.date(2025, 10, 3), dt.date(2025, 11, 29), cutoff, dt.date(2026, 5, 1)):
        record_feedback(directory, record(f"asked {day}", day=day), today=day)
    append_line(directory / "feedback-2025-11.jsonl", "{not json")  # a damaged line in the boundary month
    record_feedback(directory, record("asked today"), today=TODAY)
    assert not (directory / "feedback-2025-10.jsonl").exists()
    assert [r.question for r in read_feedback(directory).records] == [f"asked {cutoff}", "asked 2026-05-01", "asked today"]
    assert read_feedback(directory).damaged == ()


def test_purge_before_deletes_older_records_and_cli_reports_it(tmp_path: Path, monkeypatch, capsys) -> None:
    directory = tmp_path / "feedback"
    for day in (dt.date(2026, 1, 5), dt.date(2026, 3, 1), dt.date(2026, 3, 20), dt.date(2026, 6, 1)):
        record_feedback(directory, record(f"asked {day}", day=day), today=TODAY)
    assert purge_before(directory, dt.date(2026, 3, 10)) == 2
    assert [r.date.isoformat() for r in read_feedback(directory).records] == ["2026-03-20", "2026-06-01"]
    assert purge_before(tmp_path / "never-made", TODAY) == 0
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(directory))
    assert main(["feedback", "--purge-before", "2026-04-01", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"purged": 1, "before": "2026-04-01"}
    with pytest.raises(SystemExit) as usage:
        main(["feedback", "--purge-before", "last year"])
    assert usage.value.code == 2


def test_an_unwritable_folder_is_a_clear_failure(tmp_path: Path, monkeypatch, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(FeedbackError, match="Cannot save feedback"):
        record_feedback(blocker / "feedback", record())
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(blocker))
    for command in (["feedback"], ["feedback", "--purge-before", "2026-01-01"]):
        assert main(command) == 1
        assert "is not a folder (check ONESTOP_FEEDBACK_DIR)" in capsys.readouterr().err


# --- the editors' report --------------------------------------------------------------------------


def write_mixed_feedback(directory: Path) -> None:
    for r in (
        record("ssp for zero hours staff", cards=("ssp-how-much",), comment="zero hours rate", day=dt.date(2026, 11, 2)),
        record("sick pay for agency workers", outcome="near_miss", helpful=True, cards=("ssp-how-much", "ssp-how-long")),
        record("can I claim back SSP", outcome="refused"),
        record("who pays for a chair", helpful=True, cards=("atw-who-pays",), topics=("access-to-work",)),
        record("fit note from a physio?", topics=("fit-notes",)),
        record("old question", cards=("ssp-how-much",), day=dt.date(2026, 1, 10)),
    ):
        record_feedback(directory, r, today=TODAY)
    append_line(directory / "feedback-2026-11.jsonl", '{"question": "half a rec')


def test_report_groups_unanswered_and_no_questions_by_nearest_card(tmp_path: Path) -> None:
    directory = tmp_path / "feedback"
    write_mixed_feedback(directory)

    class FakeCard:
        question = "How much Statutory Sick Pay do I have to pay?"
        topics = ("statutory-sick-pay",)

    report = feedback_report(read_feedback(directory, since=dt.date(2026, 11, 1)), {"ssp-how-much": FakeCard()})  # type: ignore[dict-item]
    assert (report.rated, report.helpful, report.damaged) == (5, 2, ("feedback-2026-11.jsonl:6",))
    assert [(g.kind, g.name, [r.question for r in g.records]) for g in report.groups] == [
        ("card", "ssp-how-much", ["ssp for zero hours staff", "sick pay for agency workers"]),
        ("topic", "fit-notes", ["fit note from a physio?"]),
        ("uncovered", "", ["can I claim back SSP"]),
    ]
    assert report.groups[0].label == "Card ssp-how-much (statutory-sick-pay): How much Statutory Sick Pay do I have to pay?"
    text = format_report(report)
    assert "since 2026-11-01: 5 rating(s), 2 yes and 3 no; 4 question(s) to look at" in text
    assert "missing: zero hours rate" in text and "near miss" in text and "who pays for a chair" not in text


def test_cli_report_json_and_text(cards_index: Settings, tmp_path: Path, monkeypatch, capsys) -> None:
    directory = tmp_path / "feedback"
    write_mixed_feedback(directory)
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(directory))
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(cards_index.corpus_dir))
    assert main(["feedback", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["rated"], data["helpful"], data["not_helpful"], data["to_review"]) == (6, 2, 4, 5)
    first = data["groups"][0]
    assert (first["kind"], first["name"], first["count"]) == ("card", "ssp-how-much", 3)
    assert "How much Statutory Sick Pay do I have to pay?" in first["label"]
    assert set(first["questions"][0]) == set(RECORD_KEYS)
    assert main(["feedback", "--since", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "Card ssp-how-much (statutory-sick-pay)" in out and "old question" not in out
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(tmp_path / "none-yet"))
    assert main(["feedback"]) == 0 and "0 rating(s)" in capsys.readouterr().out


# --- the Ask page ---------------------------------------------------------------------------------


@pytest.fixture
def app_feedback_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same (emptied) folder for every app test, so the app's cached pipeline is reused."""
    directory = tmp_path_factory.getbasetemp() / "feedback-app"
    shutil.rmtree(directory, ignore_errors=True)
    return directory


def open_app(cards_index: Settings, directory: Path, monkeypatch, **env: str) -> AppTest:
    monkeypatch.setenv("ONESTOP_CORPUS_DIR", str(cards_index.corpus_dir))
    monkeypatch.setenv("ONESTOP_INDEX_DIR", str(cards_index.index_dir))
    monkeypatch.setenv("ONESTOP_FEEDBACK_DIR", str(directory))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def buttons(at: AppTest, prefix: str) -> list:
    return [b for b in at.button if b.key and b.key.startswith(prefix)]


def written(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []


@pytest.mark.slow
def test_nothing_is_written_until_yes_is_clicked_then_only_the_stated_fields(cards_index, app_feedback_dir, monkeypatch) -> None:
    at = open_app(cards_index, app_feedback_dir, monkeypatch)
    at.chat_input[0].set_value("How much Statutory Sick Pay do I have to pay?").run()
    assert not at.exception
    assert buttons(at, "feedback-yes-") and written(app_feedback_dir) == []
    assert any("Don't include names or health details" in m.value for m in at.markdown)
    at.chat_input[0].set_value("How long do I pay SSP for?").run()  # asking again writes nothing either
    assert written(app_feedback_dir) == []
    buttons(at, "feedback-yes-")[0].click().run()
    assert not at.exception
    assert [p.name for p in written(app_feedback_dir)] == [".lock", f"feedback-{dt.date.today():%Y-%m}.jsonl"]
    [line] = stored_lines(app_feedback_dir)
    assert line == {
        "date": dt.date.today().isoformat(),
        "question": "How much Statutory Sick Pay do I have to pay?",
        "helpful": True,
        "comment": "",
        "outcome": "answered",
        "sources": ["statutory-sick-pay.md#how-much-statutory-sick-pay-is"],
        "cards": ["ssp-how-much"],
        "topics": ["statutory-sick-pay"],
    }
    assert any("Thank you" in m.value for m in at.chat_message[1].markdown)
    assert len(buttons(at, "feedback-yes-")) == 1  # the second answer still asks; the first does not


@pytest.mark.slow
def test_no_asks_what_was_missing_and_keeps_the_comment(cards_index, app_feedback_dir, monkeypatch) -> None:
    at = open_app(cards_index, app_feedback_dir, monkeypatch)
    at.chat_input[0].set_value("Who applies for Access to Work?").run()
    buttons(at, "feedback-no-")[0].click().run()
    assert written(app_feedback_dir) == []  # "No" only opens the box
    at.text_area[0].set_value("What if the employee refuses to apply?")
    buttons(at, "feedback-send-")[0].click().run()
    assert not at.exception
    [line] = stored_lines(app_feedback_dir)
    assert (line["helpful"], line["comment"], line["cards"]) == (
        False,
        "What if the employee refuses to apply?",
        ["atw-who-applies"],
    )


@pytest.mark.slow
def test_related_question_buttons_ask_them(cards_index, app_feedback_dir, monkeypatch) -> None:
    at = open_app(cards_index, app_feedback_dir, monkeypatch)
    at.chat_input[0].set_value("How much Statutory Sick Pay do I have to pay?").run()
    related = buttons(at, "related-")
    assert [b.label for b in related] == ["How long do I pay Statutory Sick Pay for?"]
    related[0].click().run()
    assert not at.exception
    assert len(at.chat_message) == 4
    assert "28 weeks" in at.chat_message[3].markdown[0].value
    assert written(app_feedback_dir) == []


@pytest.mark.slow
def test_feedback_off_removes_the_buttons(cards_index, app_feedback_dir, monkeypatch) -> None:
    at = open_app(cards_index, app_feedback_dir, monkeypatch, ONESTOP_FEEDBACK="off")
    at.chat_input[0].set_value("How much Statutory Sick Pay do I have to pay?").run()
    assert not at.exception
    assert buttons(at, "feedback-") == [] and buttons(at, "related-")
    assert not any("Did this answer" in m.value for m in at.markdown)
    assert written(app_feedback_dir) == []
