"""Checklist definitions: every shipped item cites real corpus sections; conditions pick the right items."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from onestop.checklists import available, build, check_all, load_definition, resolve_answers
from onestop.errors import ChecklistError

CORPUS = Path(__file__).parents[1] / "corpus"


@pytest.fixture(scope="module")
def rtw():
    return load_definition(CORPUS, "return-to-work")


@pytest.fixture(scope="module")
def recruitment():
    return load_definition(CORPUS, "recruitment")


def test_shipped_checklists_load_and_every_item_cites_the_corpus() -> None:
    assert available(CORPUS) == ["recruitment", "return-to-work"]
    assert check_all(CORPUS) == []
    for name in available(CORPUS):
        for item in load_definition(CORPUS, name).items:
            assert item.cites, item.id
            for ref in item.cites:
                text = (CORPUS / ref.file).read_text(encoding="utf-8")
                assert f"## {ref.section}\n" in text and ref.url.startswith("https://")


def ids(checklist) -> set[str]:
    return {item.id for item in checklist.items}


@pytest.mark.parametrize(
    ("answers", "present", "absent"),
    [
        ({"has_gip": True}, {"group-income-protection-claim"}, set()),
        ({"has_gip": False}, set(), {"group-income-protection-claim"}),
        ({"condition_type": "Mental health", "absence_weeks": 5}, {"mental-health-support-service", "stress-risk-assessment"}, set()),
        ({"condition_type": "Musculoskeletal"}, set(), {"mental-health-support-service"}),
        ({"fit_note": "May be fit for work", "fit_note_advice": ["Phased return to work"]}, {"phased-return-plan"}, set()),
        ({"fit_note": "Not fit for work"}, set(), {"phased-return-plan"}),
        ({"has_oh": True, "absence_weeks": 5}, {"refer-to-occupational-health"}, {"get-occupational-health-advice"}),
    ],
)
def test_return_to_work_conditions(rtw, answers, present, absent) -> None:
    found = ids(build(rtw, answers))
    assert present <= found, present - found
    assert not absent & found


def test_recruitment_disability_confident_items_depend_on_sign_up(recruitment) -> None:
    signed = build(recruitment, {"disability_confident": "Level 2 Employer"})
    not_signed = build(recruitment, {"disability_confident": "Not signed up"})
    assert ids(signed) != ids(not_signed)
    assert any("sign" in i.text.lower() and "Disability Confident" in i.text for i in not_signed.items)


def test_groups_follow_phase_order_and_answers_are_shown(rtw) -> None:
    checklist = build(rtw, {"absence_weeks": 5})
    phases = [phase for phase, _ in checklist.groups]
    assert phases == [p for p in rtw.phases if p in phases]
    assert ("How many weeks has the employee been off so far?", "5") in checklist.answers


def test_defaults_fill_missing_answers_and_bad_answers_name_the_question(rtw) -> None:
    resolved = resolve_answers(rtw, {})
    assert resolved["fit_note"] == "No fit note yet" and resolved["fit_note_advice"] == []
    with pytest.raises(ChecklistError, match="Unknown question 'weeks_off'"):
        resolve_answers(rtw, {"weeks_off": 3})
    with pytest.raises(ChecklistError, match="'fit_note'.*choose one of"):
        resolve_answers(rtw, {"fit_note": "Maybe"})
    with pytest.raises(ChecklistError, match="'absence_weeks'.*number"):
        resolve_answers(rtw, {"absence_weeks": "five"})
    with pytest.raises(ChecklistError, match="'has_oh'.*true or false"):
        resolve_answers(rtw, {"has_oh": "yes"})


def test_a_broken_citation_fails_loudly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "checklists" / "return-to-work.yaml"
    path.write_text(path.read_text().replace("section: When to make contact", "section: A heading that does not exist", 1))
    failures = check_all(corpus)
    assert failures and failures[0]["file"] == "checklists/return-to-work.yaml"
    assert "A heading that does not exist" in failures[0]["reason"] and "keeping-in-touch.md" in failures[0]["reason"]


@pytest.mark.parametrize(("may_be_disability", "shown"), [("Yes", True), ("Not sure", True), ("No", False)])
def test_absence_trigger_item_only_where_disability_may_be_involved(rtw, may_be_disability, shown) -> None:
    checklist = build(rtw, {"may_be_disability": may_be_disability})
    assert ("adjust-absence-triggers" in ids(checklist)) is shown
    for item in checklist.items:
        if item.id == "adjust-absence-triggers":
            assert "consider" in item.text.lower()  # an adjustment to consider, not an automatic duty


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"absence_weeks": 2}, set()),
        ({"absence_weeks": 25}, {"plan-for-end-of-ssp"}),
        ({"absence_weeks": 5, "linked_weeks_total": 22}, {"plan-for-end-of-ssp-linked"}),
        ({"absence_weeks": 5, "linked_weeks_total": 10}, set()),
        ({"absence_weeks": 25, "linked_weeks_total": 30}, {"plan-for-end-of-ssp"}),
    ],
)
def test_ssp1_item_appears_for_long_or_linked_absences(rtw, answers, expected) -> None:
    checklist = build(rtw, answers)
    items = [item for item in checklist.items if item.id.startswith("plan-for-end-of-ssp")]
    assert {item.id for item in items} == expected
    for item in items:
        assert "23rd week" in item.text and "within 7 days" in item.text and "linked" in item.text
        assert "Form SSP1 when Statutory Sick Pay ends" in {ref.section for ref in item.cites}
