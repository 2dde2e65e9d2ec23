"""Composing answers from cards: parts, citations, worked figures, situation cautions, near misses."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from onestop.cards import Card
from onestop.compose import (
    Thresholds,
    assign_cards,
    fitted_verdict,
    is_second_reading,
    led_by_named_subject,
    matching_text,
    readings_in_order,
    verdict_on_plan,
    with_subject,
)
from onestop.evaluate import lead_ins_without_list, with_thresholds
from onestop.questions import parse_question
from onestop.retrieve import CardMatch

TODAY = dt.date(2026, 11, 30)
EVAL = Path(__file__).parent / "eval"

pytestmark = pytest.mark.slow


def test_a_card_answers_first_and_cites_its_sections(cards_pipeline) -> None:
    answer = cards_pipeline.ask("can i apply for access to work for my employee?")
    assert answer.text.startswith("The disabled employee applies, not you.")
    assert [p.card_id for p in answer.parts] == ["atw-who-applies"]
    citation = answer.citations[0]
    assert citation.card_id == "atw-who-applies" and citation.chunk.anchor == "access-to-work.md#who-applies-for-access-to-work"
    assert citation.snippet.startswith("The disabled employee applies")  # the section's own text
    assert "**Watch out:**" in answer.text and "- Give them time to apply" in answer.text
    data = answer.to_json()
    assert {"question", "answer", "refused", "citations", "notices", "parts", "near_miss", "suggestions"} <= set(data)
    assert data["citations"][0]["card_id"] == "atw-who-applies"


def test_a_two_part_question_answers_both_parts_under_labels(cards_pipeline) -> None:
    answer = cards_pipeline.ask("How much sick pay do I pay her and can she come back before her fit note ends?")
    assert [p.card_id for p in answer.parts] == ["ssp-how-much", "fit-returning-early"]
    assert "£123.25" in answer.text and "signed back" in answer.text
    assert "**How much Statutory Sick Pay do I have to pay?**" in answer.text


def test_a_worked_figure_uses_the_numbers_in_the_question(cards_pipeline) -> None:
    answer = cards_pipeline.ask("She's been off 3 weeks with her back, what do I pay her?")
    assert answer.parts[0].card_id == "ssp-how-much"
    assert "3 × £123.25 = £369.75" in answer.text
    assert "assuming" in answer.text  # says what was assumed about earnings
    low_paid = cards_pipeline.ask("He earns £100 a week and has been off 2 weeks, what sick pay do I pay?")
    assert "2 × £80.00 = £160.00" in low_paid.text


def test_a_worked_figure_for_days_off_and_for_earnings_alone_comes_first(cards_pipeline) -> None:
    days = cards_pipeline.ask("She works 3 days a week and was off sick Monday and Tuesday. What sick pay do I pay her?")
    assert days.parts[0].card_id == "ssp-how-much"
    assert days.text.startswith("Worked figure: for 2 days off sick with 3 qualifying days a week, SSP is 2 × £41.0833")
    assert "= £82.17" in days.text and "assuming" in days.text
    earnings = cards_pipeline.ask("He earns £140 a week and is off sick. How much sick pay do I pay?")
    assert earnings.text.startswith("Worked figure: SSP is £112.00 a week.")
    assert "80% is £112.00, lower than £123.25" in earnings.text


def test_ssp_for_a_dated_spell_counts_the_working_days_between_the_dates(cards_pipeline) -> None:
    answer = cards_pipeline.ask(
        "Works Monday to Friday, 37.5 hours on £12.90 an hour. He was off sick from Wednesday 18 November and came back "
        "on Monday 30 November. How much SSP do I owe him?",
        today=TODAY,
    )
    assert "for the 8 working days off sick from Wednesday 18 November 2026" in answer.text
    assert "1 week at £123.25 plus 3 days at £24.65 a day = £197.20" in answer.text


def test_the_cost_share_figure_for_a_small_firm(cards_pipeline) -> None:
    answer = cards_pipeline.ask("We have 8 staff, do we pay anything towards the special chair Access to Work agreed?")
    assert answer.parts[0].card_id == "atw-who-pays"
    assert "with 8 staff, you pay nothing" in answer.text


def test_a_card_for_small_employers_never_answers_a_large_one(cards_pipeline) -> None:
    small = cards_pipeline.ask("There are 12 of us. Do we pay anything towards Access to Work equipment?")
    assert small.parts[0].card_id == "atw-who-pays"
    large = cards_pipeline.ask("We have 120 staff. Do we pay anything towards Access to Work equipment?")
    assert "atw-who-pays" not in [p.card_id for p in large.parts]
    assert "you pay nothing" not in large.text  # no worked figure from the small-employer card


def test_a_situation_caution_is_added_from_the_question_words(cards_pipeline) -> None:
    answer = cards_pipeline.ask("How long do I have to pay SSP for? I am thinking of sacking him as he is off sick all the time")
    assert "ssp-how-long" in [p.card_id for p in answer.parts]
    assert "unfair dismissal or disability discrimination" in answer.text
    assert any(c.card_id == "caution-dismissal-sickness" for c in answer.citations)
    calm = cards_pipeline.ask("How long do I have to pay SSP for?")
    assert "unfair dismissal" not in calm.text


def test_near_miss_offers_the_closest_cards_instead_of_refusing(cards_pipeline) -> None:
    strict = with_thresholds(cards_pipeline, Thresholds(card=2.0, section=2.0, near_miss_card=0.3, near_miss_section=0.3))
    answer = strict.ask("what do I pay someone who is off sick?")
    assert answer.near_miss and not answer.refused
    assert answer.suggestions[0] == "How much Statutory Sick Pay do I have to pay?"
    assert len(answer.suggestions) <= 3 and not lead_ins_without_list(answer.text)


def test_out_of_scope_is_refused_with_signposts(cards_pipeline) -> None:
    answer = cards_pipeline.ask("What paint colour suits a small cafe counter?")
    assert answer.refused and not answer.near_miss
    assert answer.text.startswith("onestop covers disability, health and sickness at work")  # says what it covers
    assert "https://www.gov.uk/browse/business" in answer.text  # and where business questions go


def test_follow_up_only_on_an_explicit_cue(cards_pipeline) -> None:
    history = ("Who applies for Access to Work?",)
    standalone = cards_pipeline.ask("How much is Statutory Sick Pay?", history=history)
    assert standalone.parts[0].card_id == "ssp-how-much"


def test_section_fallback_never_shows_a_lead_in_without_its_list(cards_pipeline) -> None:
    answer = cards_pipeline.ask("What does may be fit for work mean on a fit note and what are the options?")
    assert not answer.refused
    assert not lead_ins_without_list(answer.text)
    assert not re.search(r"(^|\n)(This|That|These|It) [^\n]*\[\d+\]$", answer.text.split("\n")[0])


def test_a_situation_caution_already_said_by_the_answer_is_not_repeated() -> None:
    from onestop.compose import _mostly_said

    said = "Pregnancy-related sickness must not count towards absence triggers or warnings."
    assert _mostly_said("Leave pregnancy-related sickness out of absence triggers and warnings.", said)
    assert not _mostly_said("Dismissal can end your employee's insurance cover.", said)


@pytest.mark.slow
def test_done_when_the_two_part_question_answers_both_parts(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask("What do I have to pay them and when can I ask for a doctor's note?", today=TODAY)
    assert len(answer.parts) >= 2
    assert "£123.25" in answer.text and re.search(r"7 days", answer.text)


@pytest.mark.slow
def test_done_when_the_dyslexia_answer_lists_adjustments(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask("My worker says he is dyslexic. What adjustments should I make?", today=TODAY)
    named = [
        w
        for w in ("text-to-speech", "speech-to-text", "extra time", "fonts", "coloured", "spell", "keyboard")
        if w in answer.text.lower()
    ]
    assert not answer.refused and len(named) >= 3, answer.text
    assert lead_ins_without_list(answer.text) == []


@pytest.mark.slow
def test_done_when_the_dismissal_question_carries_its_caution(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Can I dismiss someone who has been off sick for 9 months and shows no sign of coming back?", today=TODAY
    )
    assert not answer.refused
    assert re.search(r"fair process", answer.text) and re.search(r"disabilit|discriminat", answer.text)
    assert "**Watch out:**" in answer.text


@pytest.mark.slow
def test_done_when_pregnancy_sickness_is_kept_out_of_triggers(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Our employee is pregnant and off sick a lot, can that count towards her absence triggers?", today=TODAY
    )
    assert not answer.refused
    assert re.search(r"pregnancy-related sickness must not count", answer.text, re.I)
    assert answer.text.count("**Watch out:**") <= 2


@pytest.mark.slow
def test_a_situation_caution_after_a_cards_own_caution_is_an_also(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        # no length of service given: with one, the worked figure already says what the situation caution would
        "He is off sick all the time. Can I dismiss him before he reaches two years so he can't claim unfair dismissal?",
        today=TODAY,
    )
    assert answer.text.count("**Watch out:**") >= 1 and answer.text.count("**Also watch out:**") == 1  # cards' own, then it
    assert answer.text.index("**Watch out:**") < answer.text.index("**Also watch out:**")


@pytest.mark.slow
def test_done_when_the_ramp_question_is_answered_not_refused(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "We're a cafe with 8 staff. A new hire uses a wheelchair and we'd need a ramp. Do we have to pay for it?", today=TODAY
    )
    assert not answer.refused and not answer.near_miss
    assert "Access to Work" in answer.text and re.search(r"reasonable", answer.text)
    assert "with 8 staff" in answer.text  # the worked figure reads the staff number
    # "Do we have to pay for it?" asks about their own duty: the verdict leads, the Access to Work share follows
    assert not answer.text.startswith("Worked figure") and "reasonable" in answer.text.split("\n\n")[0]


@pytest.mark.slow
def test_the_linked_spells_rule_is_applied_to_the_gap_given(corpus_pipeline) -> None:
    apart = corpus_pipeline.ask(
        "Our cleaner was off 3 weeks in the summer, then back at work for 12 weeks before going sick again. "
        "Is that the same period for SSP?",
        today=TODAY,
    )
    assert apart.parts[0].card_id == "ssp-linked-periods"
    assert re.search(r"^(\*\*.*\*\*\n\n)?With 12 weeks between the spells, they do not link", apart.text)  # the verdict first
    close = corpus_pipeline.ask(
        "My barman came back for 5 weeks and is now off sick again. Does SSP start from scratch?", today=TODAY
    )
    assert "With 5 weeks between the spells, they link" in close.text
    # Two readings of one question: the card that applies the rule to the figures comes first.
    later = corpus_pipeline.ask(
        "she had 3 weeks off in january and now off again, 9 weeks later - does her ssp start again from day one?", today=TODAY
    )
    assert re.search(r"^(\*\*.*\*\*\n\n)?With 9 weeks between the spells, they do not link", later.text), later.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        (20, "form SSP1 is due by the start of week 23, in about 2 weeks, and SSP runs out after 28 weeks, in about 8 weeks"),
        (24, "form SSP1 was due by the start of week 23, so give it now; SSP runs out in about 4 weeks"),
        (30, "SSP has run out after 28 weeks. Give form SSP1 within 7 days of it ending"),
        ("about 5 months", "about 5 months (about 22 weeks), with no earlier linked spells: form SSP1 is due now"),
    ],
)
def test_when_ssp_runs_out_is_worked_out_from_the_weeks_off(corpus_pipeline, weeks: int | str, expected: str) -> None:
    off = f"{weeks} weeks" if isinstance(weeks, int) else weeks
    answer = corpus_pipeline.ask(f"He has been off sick for {off}. When do I have to give him form SSP1?", today=TODAY)
    assert expected in answer.text, answer.text
    assert "no earlier linked spells" in answer.text  # says what it assumed


@pytest.mark.slow
def test_the_bradford_score_is_worked_out_from_the_spells_given(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Someone has had 5 separate absences of 2 days this year. What is their Bradford factor?", today=TODAY
    )
    assert "the Bradford score is 5 × 5 × 10 = 250" in answer.text
    assert answer.text.count("= 250") == 1  # shown once, even when two Bradford cards answer


def test_a_part_no_card_answers_is_answered_from_a_section_under_its_own_label(cards_pipeline) -> None:
    answer = cards_pipeline.ask(
        "How much Statutory Sick Pay do I have to pay? And where can employers get free advice on the phone?", today=TODAY
    )
    assert [p.card_id for p in answer.parts] == ["ssp-how-much", None]
    assert answer.text.startswith("**How much Statutory Sick Pay do I have to pay?**")  # every part labelled
    assert "**Where can employers get free advice on the phone?**" in answer.text  # the part's own words, no "And"
    assert "0300 123 1100" in answer.text and "Not answered here" not in answer.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}  # the section's markers renumbered after the card's


@pytest.mark.slow
def test_a_multi_part_question_keeps_the_card_that_answers_a_part(corpus_pipeline) -> None:
    # Only the first part has a card; a looser fit for the whole question must not replace it.
    answer = corpus_pipeline.ask(
        "A lad in the warehouse has had 5 spells of 1 day each this year - what's his Bradford score, "
        "and can we use it to choose who gets the Christmas bonus?",
        today=TODAY,
    )
    assert any(p.card_id and p.card_id.startswith("abs-bradford") for p in answer.parts)
    assert "5 × 5 × 5 = 125" in answer.text


def test_a_part_no_card_answers_is_named_not_dropped(cards_pipeline) -> None:
    answer = cards_pipeline.ask(
        "How much Statutory Sick Pay do I have to pay? And what paint colour suits the office walls?", today=TODAY
    )
    assert "£123.25" in answer.text
    assert "**Not answered here:**" in answer.text and "paint colour" in answer.text
    whole = cards_pipeline.ask("How much Statutory Sick Pay do I have to pay?", today=TODAY)
    assert "Not answered here" not in whole.text  # a single question never gets the line


def test_a_part_is_matched_with_the_scenario_around_it(cards_pipeline) -> None:
    # Alone, "who pays for it?" is an Access to Work question; after the scenario it is about sick pay.
    answer = cards_pipeline.ask("She has been off sick since Monday with flu. Who pays for it?")
    assert answer.parts[0].card_id == "ssp-how-much"
    assert "atw-who-pays" not in [p.card_id for p in answer.parts]


def test_a_part_that_leans_on_the_previous_one_is_matched_with_it(cards_pipeline) -> None:
    answer = cards_pipeline.ask("Who applies for Access to Work, and do we pay anything towards it?")
    assert [p.card_id for p in answer.parts] == ["atw-who-applies", "atw-who-pays"]


def test_each_part_gets_its_own_card(cards_pipeline) -> None:
    # Both parts are closest to the SSP duration card; the second still gets the card that answers it.
    answer = cards_pipeline.ask("How long do I pay SSP for, and how much is SSP a week?")
    assert [p.card_id for p in answer.parts] == ["ssp-how-long", "ssp-how-much"]
    assert "**Not answered here:**" not in answer.text


@pytest.mark.slow
def test_pay_in_a_sick_pay_question_gets_a_worked_figure_from_any_sick_pay_card(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask("Do I still have to pay sick pay to someone who only earns about £120 a week?", today=TODAY)
    assert "SSP is £96.00 a week" in answer.text  # 80% of £120, whichever sick pay card answers
    total = corpus_pipeline.ask(
        "She works Monday to Friday and earns £450 a week. She was off sick Monday to Wednesday. How much SSP do I owe her?",
        today=TODAY,
    )
    assert "= £73.95" in total.text and "3 days off sick with 5 qualifying days a week" in total.text
    daily = corpus_pipeline.ask("ssp daily rate for a 4 day week", today=TODAY)
    assert daily.text.startswith("Worked figure: for 4 qualifying days a week, SSP is £123.25 ÷ 4 = £30.8125 a day")
    most = corpus_pipeline.ask("What is the total SSP someone can get over the full 28 weeks?", today=TODAY)
    assert "28 × £123.25 = £3,451.00" in most.text.split("\n\n")[0]


@pytest.mark.slow
def test_dates_in_the_question_give_the_dates_that_follow(corpus_pipeline) -> None:
    end = corpus_pipeline.ask("He's been off sick since 1 June 2026. When does his SSP run out?", today=TODAY)
    assert "Worked figure: for sickness that started on Monday 1 June 2026" in end.text
    assert "at the end of Sunday 13 December 2026" in end.text and "by Monday 2 November 2026" in end.text
    fit = corpus_pipeline.ask("She has been off sick since Friday 6 November. When can I ask for a fit note?", today=TODAY)
    assert "you can ask for a fit note from Friday 13 November 2026, their 8th day off in a row" in fit.text
    weekday = corpus_pipeline.ask("She's been off since last Wednesday. From what day can I ask for a fit note?", today=TODAY)
    assert "off sick since Wednesday 25 November 2026, you can ask for a fit note from Wednesday 2 December 2026" in weekday.text
    planned = corpus_pipeline.ask(
        "He's been off since early June and his 28 weeks run out in December. Can I just stop paying then?", today=TODAY
    )
    assert "off sick for 28 weeks" not in planned.text  # SSP's limit is not how long he has been off
    month = corpus_pipeline.ask("He's been off sick since June. When do I give him form SSP1?", today=TODAY)
    assert "started in June 2026 (counting from Monday 1 June 2026, the earliest it could have started)" in month.text
    assert "form SSP1 was due by Monday 2 November 2026 (the start of week 23): give it now" in month.text


@pytest.mark.slow
def test_access_to_work_questions_with_staff_numbers_get_the_cost_share_figure(corpus_pipeline) -> None:
    new = corpus_pipeline.ask(
        "Access to Work cost share for a 60 person company, £4,000 equipment for someone who started 3 weeks ago?", today=TODAY
    )
    assert "for a new starter who applies within 6 weeks of starting, you pay nothing" in new.text
    small = corpus_pipeline.ask("Access to Work: 35 employees, software costing £1,200. What is our share?", today=TODAY)
    assert "with 35 staff, you pay nothing" in small.text
    larger = corpus_pipeline.ask("Who pays for a screen reader through Access to Work? We have 80 staff.", today=TODAY)
    assert "with 80 staff, you pay nothing" not in larger.text and "you pay the first £500 of special aids" in larger.text
    share = corpus_pipeline.ask(
        "We employ 150 people and need £8,000 of adaptations through Access to Work. What's our share?", today=TODAY
    )
    assert share.text.split("\n\n")[0].startswith("Worked figure: with 150 staff and a cost of £8,000.00")
    support = corpus_pipeline.ask("how much does access to work pay for a support worker with 30 staff", today=TODAY)
    assert "Worked figure" not in support.text  # a support worker is funded in full: no equipment cost share
    under = corpus_pipeline.ask("We have under 50 staff. How much do we pay towards Access to Work?", today=TODAY)
    assert "with fewer than 50 staff, you pay nothing" in under.text  # not "with 50 staff … the first £500"
    band = corpus_pipeline.ask("We're just under 250 staff, what's our Access to Work cost share?", today=TODAY)
    assert "£1,000 of special aids" not in band.text and "Worked figure" not in band.text  # could be 20 staff or 200


@pytest.mark.slow
def test_of_two_readings_the_card_asking_for_the_same_kind_of_answer_leads(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask("when do i need a doctors note from staff", today=TODAY)
    assert answer.parts[0].card_id == "fit-when-to-ask"


@pytest.mark.slow
def test_a_worked_figure_leads_a_multi_part_answer(corpus_pipeline) -> None:
    from onestop.evaluate import first_sentence

    answer = corpus_pipeline.ask(
        "I've got a zero hours worker who averages about £90 a week and she's off sick this week. Do I pay her SSP, and how much a week?",
        today=TODAY,
    )
    assert first_sentence(answer.text).startswith("Worked figure: SSP is £72.00 a week.")
    form = corpus_pipeline.ask("Off sick since Monday 1 June 2026. By what date should I give him the SSP1?", today=TODAY)
    assert "form SSP1 was due by Monday 2 November 2026 (the start of week 23): give it now" in first_sentence(form.text)


def test_of_two_readings_the_one_asking_for_the_same_kind_of_answer_leads() -> None:
    what_is = _match("fit-what-is", ("fit-notes",), 0.80)
    when = replace(
        _match("fit-when-to-ask", ("fit-notes",), 0.78),
        card=replace(what_is.card, id="when", question="When can I ask for a fit note?"),
    )
    assert [m.card.id for m in readings_in_order("when do I need a doctor's note?", [what_is, when])] == ["when", "fit-what-is"]
    interpreter = replace(what_is, card=replace(what_is.card, id="interpreter", question="Who pays for an interpreter?"))
    refusing = replace(what_is, card=replace(what_is.card, id="refusing", question="Can I refuse one as too expensive?"))
    ordered = readings_in_order("Can I turn it down because of the cost?", [interpreter, refusing])
    assert [m.card.id for m in ordered] == ["refusing", "interpreter"]
    assert readings_in_order("Can I do it?", [interpreter, refusing]) == [interpreter, refusing]  # no signal: score order


@pytest.mark.slow
def test_can_i_refuse_on_cost_gets_the_verdict_first_and_the_share_after(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Our staff member with hearing loss needs kit costing £1,500 and we have 75 employees. "
        "Can we say no because it costs too much?",
        today=TODAY,
    )
    assert answer.parts[0].card_id == "ra-too-expensive"
    body = answer.text.split("**\n\n", 1)[-1] if answer.text.startswith("**") else answer.text
    assert body.startswith("You can refuse on cost only if")
    assert "with 75 staff and a cost of £1,500.00, your share is about £700.00" in answer.text


@pytest.mark.parametrize(
    ("asked", "card_question", "expected"),
    [
        ("Can I dismiss him?", "Can I dismiss someone who is off sick?", "Yes, after a fair process."),
        ("Does he lose it?", "Can holiday be carried over?", "After a fair process."),
        ("Can I say no?", "Do I have to agree to home working?", "After a fair process."),
        ("Is that down to me or the agency?", "Do I have to make adjustments for a temp?", "After a fair process."),
        ("How much do we pay?", "Do we pay anything towards Access to Work?", "After a fair process."),
        ("long term sick holiday accrue?", "Does holiday build up while off sick?", "Yes, after a fair process."),
        ("Is that right?", "Do cancer, HIV and MS count as a disability from diagnosis?", "After a fair process."),
        ("Is that still the case?", "Can low earners get SSP?", "After a fair process."),
        ("Is there still a lower earnings limit for SSP?", "Can low earners get SSP?", "After a fair process."),
        ("Is a stress risk assessment optional?", "Do I need a stress risk assessment?", "After a fair process."),
        ("Are small firms exempt?", "Do small firms have to make adjustments?", "After a fair process."),
        ("Is it illegal to ask after the offer?", "Can I ask health questions after the offer?", "After a fair process."),
        ("Are small firms exempt?", "Are small businesses exempt?", "Yes, after a fair process."),
        ("Is it wrong for him to go abroad while off sick?", "Can he go on holiday while off sick?", "After a fair process."),
        (
            "Does a fit note have to be signed by a GP?",
            "Is a nurse's note valid, or can I insist on a GP's?",
            "After a fair process.",
        ),
        (
            "Is there a limit on how long a phased return lasts?",
            "Is there a limit on phased returns?",
            "Yes, after a fair process.",
        ),
    ],
)
def test_an_opening_yes_or_no_is_kept_only_for_the_question_it_answers(asked, card_question, expected) -> None:
    assert fitted_verdict("Yes, after a fair process.", asked, card_question) == expected


def test_not_until_answers_an_is_it_illegal_question_the_other_way_round() -> None:
    answer = "Not until after a job offer: you must not ask about health before you offer the job."
    asked, card_question = "Is it illegal to ask about health at interview?", "Can I ask about health at interview?"
    assert fitted_verdict(answer, asked, card_question) == (
        "Yes, until after a job offer: you must not ask about health before you offer the job."
    )
    assert fitted_verdict(answer, "Can I ask about health at interview?", card_question) == answer


def test_a_conditional_verdict_without_its_yes_stays_a_sentence() -> None:
    answer = "Yes, if they told you within your time limit. Otherwise pay from the day they told you."
    assert fitted_verdict(answer, "How much do I pay?", "Do I still pay SSP?").startswith("Only if they told you within")


def test_a_verdict_without_its_yes_keeps_its_sense() -> None:
    assert fitted_verdict("Yes, but only after a fair process.", "Will he lose it?", "Can it carry over?") == (
        "Only after a fair process."
    )
    assert fitted_verdict("No law sets a limit.", "How long?", "Is there a limit?") == "No law sets a limit."


def _match(card_id: str, topics: tuple[str, ...], score: float) -> CardMatch:
    card = Card(card_id, "A question?", (), "An answer.", (), topics, "2026-12-01", "answers/x.yaml")
    return CardMatch(card, score, score, 1.0)


def test_a_second_reading_must_be_close_and_on_the_same_subject() -> None:
    best = _match("leave-carry-over", ("holiday-and-leave", "sickness-absence"), 0.75)
    thresholds = Thresholds()
    assert is_second_reading(best, _match("leave-sick-on-holiday", ("holiday-and-leave",), 0.74), thresholds)
    assert not is_second_reading(best, _match("hs-accident-book", ("health-and-safety",), 0.745), thresholds)
    assert not is_second_reading(best, _match("leave-far", ("holiday-and-leave",), 0.70), thresholds)


def test_a_card_on_the_subject_the_question_names_leads_a_slightly_closer_card_on_another() -> None:
    story = _match("atw-mental-health-support", ("access-to-work", "mental-health"), 0.80)
    ssp = _match("abs-pregnancy-sick-pay", ("statutory-sick-pay",), 0.74)
    assert [m.card.id for m in led_by_named_subject([story, ssp], "Do I pay SSP?")] == [ssp.card.id, story.card.id]
    assert led_by_named_subject([story, ssp], "What support is there?") == [story, ssp]  # names no subject
    far = _match("abs-pregnancy-sick-pay", ("statutory-sick-pay",), 0.70)
    assert led_by_named_subject([story, far], "Do I pay SSP?") == [story, far]  # too far behind to lead
    leave = _match("leave-holiday-while-off-sick", ("holiday-and-leave",), 0.80)
    asked = "she wants her sick days counted as hoilday instead of ssp, is it allowed"
    assert led_by_named_subject([leave, ssp], asked) == [leave, ssp]  # both named: the closer card stays first


@pytest.mark.slow
def test_a_phased_return_gets_the_pay_for_the_hours_worked(corpus_pipeline) -> None:
    from onestop.evaluate import first_sentence

    answer = corpus_pipeline.ask(
        "He is paid £11.50 an hour and normally works 37.5 hours. On his phased return he is doing 4 days of 5 hours "
        "this week. What do I pay him?",
        today=TODAY,
    )
    assert first_sentence(answer.text).startswith("Worked figure: for the 20 hours they work, pay their usual rate")
    assert "20 × £11.50 = £230.00" in answer.text


@pytest.mark.slow
def test_the_most_days_of_ssp_and_the_weekly_amount_lead_when_asked(corpus_pipeline) -> None:
    from onestop.evaluate import first_sentence

    most = corpus_pipeline.ask("What is the most days of SSP someone on a 3 day week can get?", today=TODAY)
    assert "28 × 3 = 84 days" in first_sentence(most.text)
    weekly = corpus_pipeline.ask(
        "A cleaner on £300 a week has been off for 5 weeks with a broken wrist. We only pay SSP. What do I pay her each week?",
        today=TODAY,
    )
    assert first_sentence(weekly.text).startswith("Worked figure: SSP is £123.25 a week;")
    assert "5 × £123.25 = £616.25" in weekly.text
    both = corpus_pipeline.ask(
        "Florist. She works Mon, Tue and Wed, 7 hours a day at £13 an hour. What would her SSP be per day, and the most days we'd pay?",
        today=TODAY,
    )
    assert "£123.25 ÷ 3 = £41.0833 a day" in both.text and "28 × 3 = 84 days" in both.text  # each part has its own figure
    total = corpus_pipeline.ask(
        "He works 4 days a week and will be off a long time. What's the maximum number of days SSP runs for, "
        "and what's the total he could get?",
        today=TODAY,
    )
    assert "28 × 4 = 112 days" in total.text and "28 × £123.25 = £3,451.00" in total.text


def test_a_general_yes_or_no_is_dropped_after_a_worked_verdict() -> None:
    answer = "Yes, count every day in a row."
    assert (
        fitted_verdict(answer, "Can I ask for a fit note?", "Do weekends count?", after_figure=True)
        == "Count every day in a row."
    )


@pytest.mark.slow
def test_days_in_a_row_give_the_fit_note_verdict(corpus_pipeline) -> None:
    from onestop.evaluate import first_sentence

    short = corpus_pipeline.ask(
        "She was off sick from Friday to the following Thursday, 7 days in a row counting the weekend. Can I ask for a fit note?",
        today=TODAY,
    )
    assert "7 days in a row is not more than 7, so your employee self-certifies" in short.text.split("\n\n")[1]
    longer = corpus_pipeline.ask("He has been off 10 days in a row. Do I need a sick note from him?", today=TODAY)
    assert first_sentence(longer.text).startswith("Worked figure: 10 days in a row is more than 7")


@pytest.mark.slow
def test_hours_worked_on_a_phased_return_give_the_pay_on_a_return_to_work_card(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "On £14 an hour, she normally works 35 hours but is doing 15 hours this week on her phased return. "
        "What do we pay her for the hours she works?",
        today=TODAY,
    )
    assert "15 × £14.00 = £210.00" in answer.text


def test_when_the_scenario_pulls_every_card_away_the_question_alone_is_matched(cards_pipeline) -> None:
    scenario = (
        "Our roofer spent the summer surfing in Cornwall. The van is full of sand and wetsuits, the campsite was heaving, "
        "the pub quiz was rigged and the barbecue burnt. His girlfriend bought a caravan and the dog ate the tent pegs. "
    )
    question = "How many weeks do I have to pay sick pay for?"
    alone, with_scenario = cards_pipeline.retriever.match_cards([question, scenario + question])
    assert alone[0].card.id == "ssp-how-long" and with_scenario[0].score < Thresholds().card <= alone[0].score
    answer = cards_pipeline.ask(scenario + question, today=TODAY)
    assert not answer.refused and not answer.near_miss
    assert answer.parts[0].card_id == "ssp-how-long"


def test_no_great_britain_worked_figure_for_an_employer_in_northern_ireland(cards_pipeline) -> None:
    question = "She earns £300 a week and has been off sick 2 weeks. How much Statutory Sick Pay do I have to pay?"
    assert "Worked figure" in cards_pipeline.ask(question, today=TODAY).text
    answer = cards_pipeline.ask(f"Our shop is in Omagh. {question}", today=TODAY)
    assert answer.parts and "Worked figure" not in answer.text
    assert any("Northern Ireland has its own rules" in n for n in answer.notices)


def test_the_card_on_northern_irelands_own_rules_leads_for_an_employer_there(corpus_pipeline) -> None:
    question = "Our deaf welder needs a British Sign Language interpreter for safety briefings. Can Access to Work pay for it?"
    great_britain = corpus_pipeline.ask(question, today=TODAY)
    assert "atw-northern-ireland" not in {p.card_id for p in great_britain.parts}  # never for an employer in GB
    answer = corpus_pipeline.ask(f"We're a boatyard in Co. Down. {question}", today=TODAY)
    assert answer.parts[0].card_id == "atw-northern-ireland"
    assert "nidirect" in answer.text.lower() or "Department for Communities" in answer.text


def test_the_most_ssp_in_money_is_worked_out(cards_pipeline) -> None:
    answer = cards_pipeline.ask("What is the most Statutory Sick Pay one person can get in total?", today=TODAY)
    assert "28 × £123.25 = £3,451.00" in answer.text
    low = cards_pipeline.ask("What is the most SSP in total for someone who earns £100 a week?", today=TODAY)
    assert "28 × £80.00 = £2,240.00" in low.text
    weeks = cards_pipeline.ask("What is the maximum number of weeks of SSP?", today=TODAY)
    assert "£3,451" not in weeks.text  # how long, not how much


def test_a_bare_what_do_i_do_first_is_not_flagged_as_unanswered(cards_pipeline) -> None:
    answer = cards_pipeline.ask("How much Statutory Sick Pay do I have to pay, and what do I need to do first?", today=TODAY)
    assert answer.parts[0].card_id == "ssp-how-much"
    assert "Not answered here" not in answer.text


def test_a_part_leaning_on_the_one_before_is_matched_with_it_and_the_scenario() -> None:
    parsed = parse_question(
        "She has dyspraxia and struggles with handwritten pick sheets. What adjustments would be reasonable, "
        "and do I have to pay for them?"
    )
    assert matching_text(parsed, 0).startswith("She has dyspraxia")  # a part is matched with its scenario
    assert matching_text(parsed, 1) == (  # "them" is the adjustments, for someone with dyspraxia
        "She has dyspraxia and struggles with handwritten pick sheets. What adjustments would be reasonable do I have to pay for them?"
    )
    assert matching_text(parse_question("What adjustments would be reasonable, and do I have to pay for them?"), 1) == (
        "What adjustments would be reasonable do I have to pay for them?"
    )


def test_a_later_part_may_take_a_card_from_the_lower_threshold() -> None:
    topics = ("statutory-sick-pay",)
    ranked = [[_match("ssp-how-much", topics, 0.8)], [_match("ssp-how-much", topics, 0.7), _match("ssp-how-long", topics, 0.57)]]
    assert [m.card.id for _, m in assign_cards(["a?", "b?"], ranked, 0.6)] == ["ssp-how-much"]
    assert [m.card.id for _, m in assign_cards(["a?", "b?"], ranked, 0.6, 0.55)] == ["ssp-how-much", "ssp-how-long"]
    assert assign_cards(["a?"], [[_match("fit-when", topics, 0.57)]], 0.6, 0.55) == []  # the first part needs the full threshold


@pytest.mark.slow
def test_an_ssp_amount_for_sickness_that_began_before_the_2026_rules_is_not_worked_out_with_them(corpus_pipeline) -> None:
    old = corpus_pipeline.ask(
        "Off sick since 2 February 2026 on £400 a week over 5 days. How much SSP for the first 4 weeks?", today=TODAY
    )
    assert "this sickness started on Monday 2 February 2026, before the Statutory Sick Pay changes of 6 April 2026" in old.text
    assert "£493.00" not in old.text and "4 × £123.25" not in old.text  # today's rules would give the wrong amount
    assert old.parts[0].card_id == "ssp-straddling-april-2026"
    recent = corpus_pipeline.ask("Off sick since 2 October on £400 a week. How much SSP for 4 weeks?", today=TODAY)
    assert "4 × £123.25 = £493.00" in recent.text and "before the Statutory Sick Pay changes" not in recent.text


@pytest.mark.slow
@pytest.mark.parametrize("question", ["How much SSP do I pay from April 2026?", "what is the ssp rate from april"])
def test_the_rate_from_april_2026_is_never_answered_with_the_old_rate(corpus_pipeline, question: str) -> None:
    answer = corpus_pipeline.ask(question, today=TODAY)
    assert answer.parts[0].card_id == "ssp-how-much" and "£118.75" not in answer.text
    old = corpus_pipeline.ask("What was the SSP rate in March 2026?", today=TODAY)
    assert old.parts[0].card_id == "ssp-previous-rate"


@pytest.mark.slow
def test_the_day_ssp_starts_is_worked_out_when_asked(corpus_pipeline) -> None:
    went_home = corpus_pipeline.ask(
        "Our baker went home ill at 10am on Tuesday 24 November and is still off. Do I start his SSP on the Tuesday?",
        today=dt.date(2026, 12, 2),
    )
    assert "SSP is due from Wednesday 25 November 2026" in went_home.text
    weekend = corpus_pipeline.ask("She went off sick on Saturday 28 November. From which day do I pay SSP?", today=TODAY)
    assert "SSP is due from Monday 30 November 2026" in weekend.text and "(Monday to Friday assumed)" in weekend.text
    old = corpus_pipeline.ask("Off sick since 3 March 2026 and still off. From which day do I pay SSP?", today=TODAY)
    assert "SSP is due from" not in old.text  # waiting days applied then


@pytest.mark.slow
def test_sickness_reported_late_gets_the_reporting_card_not_the_one_day_card(corpus_pipeline) -> None:
    late = corpus_pipeline.ask(
        "A cleaner was off sick for 9 days and didn't tell us until day 9. No reporting rules. Do we pay SSP for every day?",
        today=TODAY,
    )
    assert late.parts[0].card_id == "ssp-reporting-time-limit"
    one = corpus_pipeline.ask("Do I pay SSP if someone is off sick for just one day?", today=TODAY)
    assert one.parts[0].card_id == "ssp-one-day"


@pytest.mark.slow
def test_the_most_ssp_altogether_is_worked_out_even_when_the_card_has_its_own_calculator(corpus_pipeline) -> None:
    most = corpus_pipeline.ask(
        "A driver on £700 a week is off long enough to use up all his SSP. What's the most we'd pay him in SSP altogether?",
        today=TODAY,
    )
    assert "28 × £123.25 = £3,451.00" in most.text


@pytest.mark.slow
def test_someone_at_risk_always_gets_the_urgent_help_card_first(corpus_pipeline) -> None:
    worded = [  # none of these is one of the card's asked_as phrasings
        "Our barista told me this morning she wants to kill herself",
        "bloke on the bins keeps saying he'd be better off dead",
        "shop assistant has cuts on her arms, I think she's cutting herself, and she's off sick tomorrow - do I pay SSP?",
        "a porter told a colleague he doesn't want to be here anymore, what should I do?",  # none of these was refused
        "my cook said she can't go on like this and sees no point of living",
        "one of the drivers mentioned taking an overdose at the weekend, should I send him home?",
        "he texted me saying goodbye and sorry for everything and now he won't answer",
    ]
    for question in worded:
        answer = corpus_pipeline.ask(question, today=TODAY)
        assert not answer.refused and not answer.near_miss, question
        assert answer.parts[0].card_id == "mh-immediate-risk", question
        assert "call 999" in answer.text.split("\n\n")[0] + answer.text.split("\n\n")[1], question
    injury = corpus_pipeline.ask("Lad hurt himself lifting boxes at work and is off 2 weeks. Do I report it?", today=TODAY)
    assert injury.parts[0].card_id != "mh-immediate-risk"  # an injury at work, not self-harm
    for everyday in (
        "Roofer can't go on ladders any more after his knee op. What now?",
        "Chef cut himself on a knife at work, off a week.",
    ):
        assert all(p.card_id != "mh-immediate-risk" for p in corpus_pipeline.ask(everyday, today=TODAY).parts), everyday


URGENT_CARDS = {"mh-immediate-risk", "hs-medical-emergency", "hs-threat-of-violence"}
# Written blind; on arrival 3, 26, 33, 28 and 35 of their 55 at-risk messages led with urgent help.
SAFETY_SETS = ("risk.jsonl", "risk2.jsonl", "risk3.jsonl", "risk4.jsonl", "risk5.jsonl")


@pytest.mark.slow
def test_every_message_in_the_safety_sets_where_someone_is_in_danger_gets_urgent_help_first(corpus_pipeline) -> None:
    rows = [json.loads(line) for name in SAFETY_SETS for line in (EVAL / name).read_text().splitlines()]
    missed, alarms = [], []
    for row in rows:
        answer = corpus_pipeline.ask(row["message"], today=TODAY)
        urgent = bool(answer.parts) and answer.parts[0].card_id in URGENT_CARDS
        if row["at_risk"] and not (urgent and not answer.refused and "999" in " ".join(answer.text.split("\n\n")[:2])):
            missed.append(row["id"])
        if not row["at_risk"] and urgent:
            alarms.append(row["id"])
    assert not missed, missed
    assert len(alarms) <= 20, alarms  # past events, courses, figures of speech: 19 of 175 lead with urgent help today


@pytest.mark.slow
def test_a_plan_asked_only_as_is_that_ok_is_answered_not_offered_a_menu(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Our groundsman has type 1 diabetes and keeps having hypos on the mower in the afternoons. I am going to give "
        "him a written warning for the lost time. Any problem with that?",
        today=TODAY,
    )
    assert not answer.near_miss and answer.parts[0].card_id.startswith("abs-warning")
    assert "disability" in answer.text  # the risk in the plan is raised


@pytest.mark.slow
def test_an_ordinary_card_answer_opens_with_999_when_two_danger_words_are_named(corpus_pipeline) -> None:
    two = corpus_pipeline.ask("his chest feels tight and he cannot catch his breath, can he go home and does he get SSP?")
    assert two.parts[0].card_id not in URGENT_CARDS  # no urgent card's phrase matches: the safety line still shows
    assert two.text.startswith("**If anyone is in danger now, call 999.**")
    one = corpus_pipeline.ask("his chest feels tight, can he go home and does he get SSP?")
    assert one.parts and not one.text.startswith("**If anyone")  # one word over a card's answer: no alarm


@pytest.mark.slow
def test_an_answer_no_card_fits_opens_with_999_when_someone_may_be_in_danger(corpus_pipeline) -> None:
    danger = corpus_pipeline.ask("the lad on the forklift had a funny turn, there's blood on the floor by the racking")
    assert not any(p.card_id for p in danger.parts)  # no urgent card's phrase matches: the safety line still shows
    assert danger.text.startswith("**If anyone is in danger now, call 999.**")
    assert "999" not in corpus_pipeline.ask("what's the VAT threshold for a small cafe?").text
    card = corpus_pipeline.ask("How much is SSP a week?")
    assert card.parts[0].card_id and "in danger now" not in card.text


@pytest.mark.slow
def test_a_medical_emergency_or_a_threat_leads_with_999_and_past_events_do_not(corpus_pipeline) -> None:
    for question, card in (
        (
            "our chef has just collapsed in the kitchen and isn't breathing properly, do I need a fit note?",
            "hs-medical-emergency",
        ),
        ("one of the packers is clutching his chest and says his left arm has gone numb", "hs-medical-emergency"),
        ("a customer's husband is in the shop with a knife shouting for my cashier", "hs-threat-of-violence"),
    ):
        answer = corpus_pipeline.ask(question, today=TODAY)
        assert answer.parts[0].card_id == card, question
        assert "call 999" in answer.text.lower()
    for past in (
        "Warehouse lad got his hand caught in a roller in October and has been off since. Is it RIDDOR?",
        "She collapsed at work last year with a diabetic hypo; what adjustments should we think about?",
    ):
        assert all(p.card_id not in URGENT_CARDS for p in corpus_pipeline.ask(past, today=TODAY).parts), past


@pytest.mark.slow
def test_a_later_part_the_chosen_card_already_answers_is_not_flagged_unanswered(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Bakery. Is the Access to Work mental health support free for the employer? And how long does the support last?",
        today=TODAY,
    )
    assert answer.parts[0].card_id == "atw-mental-health-support" and "273 days" in answer.text
    assert "Not answered here" not in answer.text


@pytest.mark.parametrize(
    ("part", "earlier", "expected"),
    [
        ("is it paid straight away?", "Does their SSP start again from scratch", "is SSP paid straight away?"),
        (
            "who's allowed to write one apart from GPs?",
            "When can I ask for a fit note",
            "who's allowed to write fit note apart from GPs?",
        ),
        ("do I have to report it", "A packer slipped on a wet floor", "do I have to report it"),  # no subject to borrow
        ("is one day enough?", "When does SSP start", "is one day enough?"),  # "one" as a number stays
        ("does Access to Work pay for it?", "Who pays for the ramp", "does Access to Work pay for it?"),  # names its own subject
        ("what's their phone number?", "Can she apply to Access to Work", "what's Access to Work phone number?"),
        ("what are their hours?", "Can she apply to Access to Work", "what are their hours?"),  # only a contact detail
        (  # an "it" that stands for nothing
            "can we adjust the trigger for him without it being unfair on the others?",
            "Do we have to pay SSP for single days",
            "can we adjust the trigger for him without it being unfair on the others?",
        ),
        ("is it fair to the others?", "Do we pay SSP", "is it fair to the others?"),
    ],
)
def test_a_later_part_borrows_the_subject_its_it_or_one_stands_for(part: str, earlier: str, expected: str) -> None:
    assert with_subject(part, earlier) == expected


def test_a_part_that_borrowed_its_subject_is_matched_without_the_scenario() -> None:
    parsed = parse_question(
        "She has been off for 10 days. Can I ask for a fit note now? And who can write one apart from her GP?"
    )
    assert matching_text(parsed, 1) == "And who can write fit note apart from her GP?"


@pytest.mark.slow
def test_a_planned_pay_stop_brings_its_caution_but_ssp_ending_does_not(corpus_pipeline) -> None:
    planned = corpus_pipeline.ask(
        "He's off sick again with his back and I'm thinking of withholding his pay. How long do I have to pay SSP for?",
        today=TODAY,
    )
    assert "SSP is a legal entitlement" in planned.text
    ending = corpus_pipeline.ask(
        "Off sick 20 weeks with a heart problem. How many more weeks of SSP, and is there a form to give him when it stops?",
        today=TODAY,
    )
    assert "SSP is a legal entitlement" not in ending.text


@pytest.mark.slow
def test_the_weekly_ssp_from_average_pay_over_a_reference_period(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Her average over the last 8 weeks comes to £140 a week, works 5 days. She's off sick from tomorrow for a week. "
        "What's her weekly SSP going to be?",
        today=TODAY,
    )
    assert "SSP is £112.00 a week; for 1 week off sick" in answer.text  # 80% of £140, not 8 weeks at the full rate
    most = corpus_pipeline.ask(
        "She only works two days a week (Fri and Sat). What's the maximum number of her working days I'd pay SSP for?",
        today=TODAY,
    )
    assert "28 × 2 = 56 days" in most.text


@pytest.mark.slow
def test_holiday_carried_over_after_sickness_is_worked_out_in_their_working_days(corpus_pipeline) -> None:
    from onestop.evaluate import first_sentence

    answer = corpus_pipeline.ask(
        "She works 3 days a week and was off sick most of the year. How many days of holiday can she carry over?", today=TODAY
    )
    assert answer.parts[0].card_id == "leave-carry-over-sickness"
    assert first_sentence(answer.text).startswith(
        "Worked figure: for someone who works 3 days a week, 4 weeks is 4 × 3 = 12 days."
    )


@pytest.mark.slow
def test_the_equipment_cost_share_is_given_when_a_support_worker_and_equipment_are_asked_about(corpus_pipeline) -> None:
    both = corpus_pipeline.ask(  # "Access to Work" not named: the matched cards are about it
        "We have 60 staff and our deaf receptionist needs a BSL support worker some days. Is there a cost share for the "
        "worker? And what about an amplified phone?",
        today=TODAY,
    )
    support, equipment = both.text.split("**Who pays for special equipment", 1)
    assert "the first £500" not in support  # the figure goes with the equipment card, not the fully funded support
    assert "the first £500 of special aids and equipment plus 20%" in equipment
    worker = corpus_pipeline.ask("We have 60 staff. Do we pay a cost share for an Access to Work support worker?", today=TODAY)
    assert "the first £500" not in worker.text


@pytest.mark.slow
def test_dated_rules_are_applied_to_the_question_s_own_facts(corpus_pipeline) -> None:
    late = corpus_pipeline.ask(
        "Our roofer fell off a ladder on Thursday 12 November and has been off since. Nobody reported it. "
        "What was the deadline to report it to HSE, have we missed it?",
        today=dt.date(2026, 12, 2),
    )
    lead = late.text.split("\n\n")[0] if not late.text.startswith("**") else late.text.split("\n\n")[1]
    assert lead.startswith("Worked figure: for an accident on Thursday 12 November 2026")  # the deadline asked for leads
    assert "Friday 27 November 2026" in lead and "report it now" in lead
    service = corpus_pipeline.ask(
        "She's been with us 18 months and is off a lot. Could she claim unfair dismissal if we let her go?",
        today=dt.date(2026, 12, 2),
    )
    assert "with 18 months' service, they are short of the 2 years' service needed" in service.text
    assert "no qualifying service" in service.text
    unrelated = corpus_pipeline.ask("She's been with us 18 months. How much SSP do I pay her?", today=dt.date(2026, 12, 2))
    assert "qualifying" not in unrelated.text  # service matters to a dismissal question only


@pytest.mark.parametrize(
    ("question", "card_answer", "expected"),
    [
        (
            "I told him he can't come back till he's fully fit. Did I get that wrong?",
            'Not as a rule: a "may be fit for work" note means they may work with changes.',
            'Yes, as you describe it, that was not right: a "may be fit for work" note means they may work with changes.',
        ),
        (
            "I told our driver the first three days are unpaid. Was that wrong?",
            "No, SSP no longer has waiting days: it is paid from the first full day.",
            "Yes, as you describe it, that was not right. SSP no longer has waiting days: it is paid from the first full day.",
        ),
        (
            "I asked for a fit note on his 8th day off. Was that wrong?",
            "Yes, you can ask for a fit note after 7 days in a row.",
            "No, as you describe it, that was allowed: you can ask for a fit note after 7 days in a row.",
        ),
        (  # a conditional yes gives no verdict of its own
            "I asked her to pay half the cost. Was that wrong?",
            "Yes, if the contract allows it.",
            "Yes, if the contract allows it.",
        ),
        (  # "is that OK?": the card's own "No" already answers it
            "I'm going to dock her pay. Is that OK?",
            "No, not for days she was off sick.",
            "No, not for days she was off sick.",
        ),
    ],
)
def test_was_that_wrong_gets_a_verdict_on_what_was_done(question: str, card_answer: str, expected: str) -> None:
    assert verdict_on_plan(card_answer, card_answer, parse_question(question)) == expected


def test_a_plan_refusing_what_the_card_allows_is_not_right_when_asked_if_wrong() -> None:
    parsed = parse_question(
        "Our call handler with anxiety asked to work from home two days a week. I'm going to turn it down because "
        "everyone is office-based. Anything wrong with that?"
    )
    card_answer = "Yes, home or hybrid working can be a reasonable adjustment."
    verdict = verdict_on_plan(card_answer, card_answer, parsed, "Can working from home be a reasonable adjustment?")
    assert verdict.startswith("Yes, as you describe it, that would be not right")
    # a plan that does what the card's question asks keeps the plain reading
    agreed = parse_question("I'm going to let her work from home two days a week. Anything wrong with that?")
    assert verdict_on_plan(card_answer, card_answer, agreed, "Can working from home be a reasonable adjustment?").startswith(
        "No, as you describe it, that would be allowed"
    )


@pytest.mark.slow
def test_a_plan_asked_ok_that_refuses_an_entitlement_is_not_right(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "One of our kitchen porters is on a zero-hours contract and earns about £150 a week. He's off with flu, so I'm "
        "planning not to pay him anything because he's zero hours. Is that OK?",
        today=TODAY,
    )
    assert answer.text.startswith("As you describe it, that would not be right, because low earners and part-timers can get SSP")


@pytest.mark.slow
def test_no_refusal_verdict_from_a_card_chosen_for_the_story_not_the_plan(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "A part-timer on a few hours a week went off sick but didn't tell us for 9 days. We're going to refuse her SSP "
        "for those days. Are we allowed to?",
        today=TODAY,
    )
    assert not answer.text.startswith("As you describe it")


@pytest.mark.slow
def test_a_later_part_asking_only_for_the_conditions_gets_the_related_card(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "If occupational health recommends physio for one of our drivers, can we pay for it without it being a "
        "taxable benefit? Are there any conditions?",
        today=TODAY,
    )
    assert [part.card_id for part in answer.parts][:2] == ["oh-tax-exemption", "oh-tax-exemption-conditions"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        (
            "My co-director thinks we can count her pregnancy sickness towards her absence trigger. Is he right?",
            "No, your co-director is not right.",
        ),
        (
            "Our bookkeeper says holiday still builds up while someone is off sick. Is that true?",
            "Yes, your bookkeeper is right.",
        ),
        ("A mate told me you can't contact staff when they're off with stress. Is that right?", "No, that is not right."),
        # "refuse" in the claim and "unpaid" in the card's question ask the same thing
        (
            "My supervisor says we can refuse sick pay for the first three days like we used to. Is she right?",
            "No, your supervisor is not right",
        ),
        ("My bookkeeper told me the first three days off sick are unpaid. True?", "No, your bookkeeper is not right"),
    ],
)
def test_a_claim_to_check_gets_a_verdict_on_it_first(corpus_pipeline, question: str, verdict: str) -> None:
    answer = corpus_pipeline.ask(question, today=TODAY)
    assert answer.text.startswith(verdict)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        # the closest card asks whether it costs anything: its "No" says nothing about the size of employer
        "I've heard that Disability Confident is only for big companies. Is that true?",
        # the card asks two questions joined by "or": its "Yes" answers only the first
        "My manager reckons a fit note has to come from a GP. Is that right?",
    ],
)
def test_no_verdict_on_a_claim_the_card_question_does_not_ask(corpus_pipeline, question: str) -> None:
    answer = corpus_pipeline.ask(question, today=TODAY)
    assert not re.match(r"(?:Yes|No), (?:that|your \w+) is (?:not )?right", answer.text)


@pytest.mark.slow
def test_an_everyday_word_does_not_make_the_urgent_help_card_lead(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "One of my barbers wants back part time before his sick note ends. Can he, or do I have to wait for the note to finish?",
        today=TODAY,
    )
    assert answer.parts and answer.parts[0].card_id != "hs-threat-of-violence"
    assert "999" not in answer.text


@pytest.mark.slow
def test_a_dismissal_plan_leaning_on_under_two_years_leads_with_the_service_figure(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask(
        "Lad at my kiosk has only been with me 14 months and he's forever off sick. I'm planning to let him go next month, "
        "that's fine because he's under 2 years, isn't it?",
        today=TODAY,
    )
    assert answer.text.startswith("Worked figure: with 14 months' service")
    assert "1 January 2027" in answer.text.split("\n\n")[0]


@pytest.mark.slow
def test_a_choice_between_amounts_is_answered_by_the_worked_figure_first(corpus_pipeline) -> None:
    answer = corpus_pipeline.ask("Our cleaner on £130 a week is off sick. Does she get the full £123.25 or less?", today=TODAY)
    body = re.sub(r"^\*\*[^*\n]+\*\*\s*\n+", "", answer.text)
    assert body.startswith("Worked figure: SSP is £104.00 a week")
