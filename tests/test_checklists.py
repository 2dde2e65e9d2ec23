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
        (
            {"condition_type": "Mental health", "absence_weeks": 5},
            {"mental-health-support-service", "stress-risk-assessment"},
            set(),
        ),
        ({"condition_type": "Musculoskeletal"}, set(), {"mental-health-support-service"}),
        ({"fit_note": "May be fit for work", "fit_note_advice": ["Phased return to work"]}, {"phased-return-plan"}, set()),
        ({"fit_note": "Not fit for work"}, set(), {"phased-return-plan"}),
        ({"has_oh": True, "absence_weeks": 5}, {"refer-to-occupational-health"}, {"get-occupational-health-advice"}),
        # Statutory Sick Pay: paid, checked, or form SSP1 within 7 days when the employee cannot get it
        ({}, {"pay-statutory-sick-pay"}, {"ssp1-if-not-entitled", "check-ssp-entitlement"}),
        ({"gets_ssp": "Not sure"}, {"pay-statutory-sick-pay", "check-ssp-entitlement"}, {"ssp1-if-not-entitled"}),
        ({"gets_ssp": "No", "absence_weeks": 25}, {"ssp1-if-not-entitled"}, {"pay-statutory-sick-pay", "plan-for-end-of-ssp"}),
        # no return in sight: medical report, fair process, insurance, Acas, final pay
        (
            {"return_in_sight": "No", "absence_weeks": 12, "has_gip": True},
            {
                "medical-report-with-consent",
                "fair-process-meetings",
                "consider-options-before-dismissal",
                "warn-before-dismissal",
                "check-income-protection-before-dismissal",
                "call-acas-before-deciding",
                "final-pay-if-employment-ends",
            },
            set(),
        ),
        (
            {"return_in_sight": "No", "has_gip": False},
            {"call-acas-before-deciding"},
            {"check-income-protection-before-dismissal"},
        ),
        (
            {"return_in_sight": "Not sure", "absence_weeks": 6},
            {"medical-report-with-consent"},
            {"warn-before-dismissal", "call-acas-before-deciding"},
        ),
        ({"return_in_sight": "Not sure", "absence_weeks": 2}, set(), {"medical-report-with-consent"}),
        (
            {"return_in_sight": "Yes", "absence_weeks": 30},
            set(),
            {"medical-report-with-consent", "fair-process-meetings", "final-pay-if-employment-ends"},
        ),
        # holiday during a longer absence
        ({"absence_weeks": 4}, {"holiday-during-absence"}, set()),
        ({"absence_weeks": 2}, set(), {"holiday-during-absence"}),
        # injuries at work: RIDDOR in Great Britain, a risk assessment before the return
        ({"injured_at_work": True}, {"report-injury-to-hse", "record-work-injury", "review-risk-assessment-after-injury"}, set()),
        (
            {"injured_at_work": False},
            set(),
            {"report-injury-to-hse", "record-work-injury", "review-risk-assessment-after-injury"},
        ),
        ({"safety_critical": True}, {"safety-risk-assessment"}, set()),
        ({}, set(), {"safety-risk-assessment"}),
        # Northern Ireland: its own rules and Access to Work (NI); Great Britain-only items drop out
        ({}, {"access-to-work-small-employer"}, {"northern-ireland-rules", "access-to-work-ni"}),
        (
            {"work_location": "Northern Ireland", "condition_type": "Mental health", "injured_at_work": True},
            {"northern-ireland-rules", "access-to-work-ni", "review-risk-assessment-after-injury"},
            {"mental-health-support-service", "access-to-work-small-employer", "report-injury-to-hse", "record-work-injury"},
        ),
        (
            {"work_location": "Northern Ireland", "org_size": "50 to 249 staff"},
            {"access-to-work-ni"},
            {"access-to-work-larger-employer"},
        ),
    ],
)
def test_return_to_work_conditions(rtw, answers, present, absent) -> None:
    found = ids(build(rtw, answers))
    assert present <= found, present - found
    assert not absent & found


@pytest.mark.parametrize(
    ("answers", "present", "absent"),
    [
        ({"interview_format": "Video call"}, {"adjust-video-or-phone-interview"}, {"accessible-interview-room"}),
        ({"interview_format": "Phone", "adjustments_requested": False}, {"adjust-video-or-phone-interview"}, set()),
        ({"interview_format": "In person"}, {"accessible-interview-room"}, {"adjust-video-or-phone-interview"}),
        ({"adjustments_requested": True}, {"arrange-requested-adjustments"}, {"communication-support-at-interview"}),
        ({"communication_support": True}, {"communication-support-at-interview"}, set()),
        ({"interview_format": "Working interview or trial"}, {"plan-working-interview"}, set()),
        ({"candidate_disclosed_condition": True}, {"offer-evacuation-plan", "adjustments-ready-on-day-one"}, set()),
        ({"candidate_disclosed_condition": False}, set(), {"offer-evacuation-plan", "adjustments-ready-on-day-one"}),
        (
            {},
            {
                "probation-reviews",
                "advertise-through-local-support",
                "tell-new-recruit-about-access-to-work",
                "keep-interview-notes",
            },
            {"northern-ireland-rules"},
        ),
        (
            {"job_location": "Northern Ireland", "candidate_disclosed_condition": True, "org_size": "50 to 249 staff"},
            {"northern-ireland-rules", "tell-new-recruit-about-access-to-work-ni", "probation-reviews"},
            {
                "tell-new-recruit-about-access-to-work",
                "cost-share-50-to-249-staff",
                "support-access-to-work-application",
                "cover-support-at-induction",
                "advertise-through-local-support",
            },
        ),
    ],
)
def test_recruitment_conditions(recruitment, answers, present, absent) -> None:
    found = ids(build(recruitment, answers))
    assert present <= found, present - found
    assert not absent & found


@pytest.mark.parametrize("name", ["recruitment", "return-to-work"])
def test_every_question_drives_at_least_one_item(name) -> None:
    definition = load_definition(CORPUS, name)
    used = {question_id for item in definition.items for question_id in item.when}
    assert {q.id for q in definition.questions} <= used


@pytest.mark.parametrize(
    ("item_id", "phase"),
    [("offer-interview-disability-confident", "Before advertising"), ("adjustments-ready-on-day-one", "Offer")],
)
def test_recruitment_items_sit_in_the_right_phase(recruitment, item_id, phase) -> None:
    assert {item.id: item.phase for item in recruitment.items}[item_id] == phase


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


# Items with a clear moment, in the order they fall due: day 1, after 7 days, about 4 weeks, week 20 and
# later, the path when no return is in sight, the first day back, then the reviews.
TIME_ORDER = [
    "record-absence",
    "report-injury-to-hse",
    "pay-statutory-sick-pay",
    "contact-early",
    "keep-contact-supportive",
    "ask-for-fit-note",
    "refer-to-occupational-health",
    "return-to-work-plan",
    "medical-report-with-consent",
    "plan-for-end-of-ssp",
    "fair-process-meetings",
    "warn-before-dismissal",
    "call-acas-before-deciding",
    "final-pay-if-employment-ends",
    "return-to-work-conversation",
    "review-plan-and-adjustments",
]


def test_return_to_work_items_are_in_time_order(rtw) -> None:
    answers = {"absence_weeks": 25, "has_oh": True, "has_gip": True, "injured_at_work": True, "return_in_sight": "No"}
    order = [item.id for item in build(rtw, answers).items]
    assert set(TIME_ORDER) <= set(order), set(TIME_ORDER) - set(order)
    assert sorted(TIME_ORDER, key=order.index) == TIME_ORDER
    # the week-20 SSP1 items come after every item that is due in the first weeks
    phases = list(rtw.phases)
    for item in rtw.items:
        if item.id.startswith("plan-for-end-of-ssp"):
            assert phases.index(item.phase) > phases.index("Planning the return")


def test_the_first_week_offers_form_ssp1_when_the_employee_cannot_get_ssp(rtw) -> None:
    item = next(i for i in build(rtw, {"gets_ssp": "No"}).items if i.id == "ssp1-if-not-entitled")
    assert item.phase == "First week off" and "within 7 days" in item.text
    assert "Form SSP1 when Statutory Sick Pay ends" in {ref.section for ref in item.cites}


@pytest.mark.parametrize("name", ["recruitment", "return-to-work"])
def test_checklists_say_they_follow_the_rules_in_great_britain(name) -> None:
    definition = load_definition(CORPUS, name)
    notice = build(definition, {}).notice
    assert "Great Britain" in notice and "Northern Ireland" in notice and "not legal advice" in notice
    assert "Great Britain" in definition.description


def test_a_cite_can_name_its_section_as_file_and_slug(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "checklists" / "return-to-work.yaml"
    text = path.read_text(encoding="utf-8")
    old = "- file: keeping-in-touch.md\n        section: When to make contact"
    assert old in text
    path.write_text(text.replace(old, "- keeping-in-touch.md#when-to-make-contact", 1), encoding="utf-8")
    definition = load_definition(corpus, "return-to-work")
    references = [r for item in definition.items for r in item.cites if r.file == "keeping-in-touch.md"]
    assert any(r.section == "When to make contact" for r in references)
    path.write_text(text.replace(old, "- keeping-in-touch.md#no-such-section", 1), encoding="utf-8")
    failures = check_all(corpus)
    assert failures and "keeping-in-touch.md#no-such-section" in failures[0]["reason"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("questions:\n", "questions: 7\nunused_questions:\n", "questions must be a list"),
        ("    when:", "    when: [1, 2]\n    unused_when:", "when must map question ids"),
        ("options: [", "options: 5\n    unused_options: [", "options must be a list"),
    ],
)
def test_a_malformed_checklist_is_a_failure_naming_the_field_not_a_crash(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "checklists" / "return-to-work.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    failures = check_all(corpus)
    assert failures and message in failures[0]["reason"]
