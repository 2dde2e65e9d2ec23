"""Question understanding: follow-ups only on explicit cues, splitting into parts, reading figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onestop.questions import (
    CalendarDay,
    asks_for,
    asks_its_terms,
    asks_something,
    is_elliptical,
    is_generic_follow_up,
    names_northern_ireland,
    parse_question,
    placed_in_calendar,
    question_words,
    read_figures,
    resolve_follow_up,
    with_northern_ireland,
)


@pytest.mark.parametrize(
    ("question", "resolved"),
    [
        ("and who pays for it?", "What is Access to Work? and who pays for it?"),
        ("How long does that last?", "What is Access to Work? How long does that last?"),
        ("what about the self-employed?", "What is Access to Work? what about the self-employed?"),
        # Short but complete questions stand alone (they used to be glued to the previous one).
        ("How much is SSP?", "How much is SSP?"),
        ("Can I ask about health at interview?", "Can I ask about health at interview?"),
        (
            "Can an employer ask health questions before making a job offer to a candidate?",
            "Can an employer ask health questions before making a job offer to a candidate?",
        ),
    ],
)
def test_follow_up_resolution_needs_an_explicit_cue(question: str, resolved: str) -> None:
    assert resolve_follow_up(question, ["What is Access to Work?"]) == resolved
    assert resolve_follow_up(question, []) == question


def test_a_two_part_question_is_split_at_the_second_question_word() -> None:
    parsed = parse_question("What do I have to pay them and when can I ask for a doctor's note?")
    assert parsed.parts == ("What do I have to pay them", "when can I ask for a doctor's note?")
    assert parsed.context == ""
    hedged = parse_question("How does the waiting time work, and roughly what would someone actually get?")
    assert hedged.parts == ("How does the waiting time work", "what would someone actually get?")


def test_a_scenario_is_kept_as_context_for_its_question() -> None:
    parsed = parse_question(
        "We're a cafe with 8 staff. A new hire uses a wheelchair and we'd need a ramp. Do we have to pay for it?"
    )
    assert parsed.parts == ("Do we have to pay for it?",)
    assert "wheelchair" in parsed.context and "8 staff" in parsed.context


def test_a_statement_without_a_question_is_one_part() -> None:
    parsed = parse_question("need help with ssp for a part timer")
    assert parsed.parts == ("need help with ssp for a part timer",)


def test_at_most_three_parts_and_none_repeated() -> None:
    text = "How much is SSP? How much is SSP? When do I need a fit note? Who applies for Access to Work? What is Disability Confident?"
    assert len(parse_question(text).parts) == 3
    assert len(set(parse_question(text).parts)) == 3


def test_figures_are_read_from_the_question() -> None:
    figures = read_figures("She's been off 3 weeks, works 25 hours a week at £12.71 an hour; we have 8 staff")
    assert figures.weeks_off == Decimal("3")
    assert figures.hours_a_week == Decimal("25")
    assert figures.hourly_pay == Decimal("12.71")
    assert figures.staff == 8
    assert figures.cost is None
    assert read_figures("a ramp costing £2,400 for our 60 employees").cost == Decimal("2400")
    assert read_figures("he earns £100 a week").weekly_earnings == Decimal("100")
    assert read_figures("what is SSP") == read_figures("")
    assert read_figures("she is going into a 2-week detox programme").weeks_off == Decimal("2")  # hyphenated
    cover = read_figures("a cover lady, 8 hrs a week at £12.71, signed off for 2 weeks")
    assert (cover.hourly_pay, cover.hours_a_week, cover.weekly_earnings) == (Decimal("12.71"), Decimal("8"), None)
    assert read_figures("does one shift a week for £60").weekly_earnings == Decimal("60")
    assert read_figures("rang in sick Monday with a bug, back Thursday").days_off == 3  # not Monday and Thursday
    # a day they went home part-way through is not a day off sick
    assert read_figures("went home ill at 11am on Tuesday, was off Wednesday and Thursday, came back Friday").days_off == 2
    assert read_figures("went home sick on Monday, back Thursday").days_off == 2
    assert read_figures("works Mon-Fri, about £420 a week").weekly_earnings == Decimal("420")
    assert read_figures("he earns £450 for a 5 day week").weekly_earnings == Decimal("450")
    assert read_figures("ssp for someone on 140 a week??").weekly_earnings == Decimal("140")
    assert read_figures("she works on 3 days a week").weekly_earnings is None
    # any weekly amount that is not an SSP rate, a cost or a premium is the employee's pay
    assert read_figures("she's paid a steady £150 a week").weekly_earnings == Decimal("150")
    assert read_figures("does weekends in our shop for £96 a week").weekly_earnings == Decimal("96")
    assert read_figures("ssp is £123.25 a week, the cover costs £90 a week").weekly_earnings is None
    june = read_figures("he has been off sick since June").sick_since
    assert (june.day, june.month, june.month_only) == (1, 6, True)
    assert not read_figures("off sick since 3 June").sick_since.month_only
    assert read_figures("works Saturdays only, £70 a shift").weekly_earnings == Decimal("70")
    assert read_figures("works 20 hours a week at £12.21 an hour").weekly_earnings is None  # the hours give the pay
    assert [read_figures(t).staff for t in ("There are 22 of us", "a team of 12", "a 40-person joinery")] == [22, 12, 40]
    assert read_figures("She was off for 3 of her working days this week.").days_off == 3
    assert read_figures("She's been off for 2 full weeks.").weeks_off == Decimal("2")


def test_a_milestone_ahead_is_a_week_short_of_it_today() -> None:
    assert read_figures("She hits 28 weeks of SSP next week and is still signed off.").weeks_off == Decimal("27")
    assert read_figures("He is coming up to 12 weeks off sick.").weeks_off == Decimal("11")
    assert read_figures("She has been off 28 weeks.").weeks_off == Decimal("28")


def test_the_weeks_pay_is_averaged_over_are_not_weeks_off_sick() -> None:
    figures = read_figures("Her average over the last 8 weeks comes to £140 a week. She's off sick from tomorrow for a week.")
    assert (figures.weekly_earnings, figures.weeks_off) == (Decimal("140"), Decimal("1"))
    assert read_figures("She has been off for the last 3 weeks and earns £300 a week.").weeks_off == Decimal("3")
    assert read_figures("Works 3 days a week; the new chair cost £380.").cost == Decimal("380")  # no pay word: a cost


@pytest.mark.parametrize(
    ("text", "days_off", "working_days", "weekly"),
    [
        ("Works Monday to Friday on £26,000 a year. She was off sick Tuesday, Wednesday and Thursday.", 3, 5, "500.00"),
        ("Our Saturday-only assistant earns £75 a week and is missing 3 Saturdays", 3, 1, "75"),
        ("he works 4 days a week and was off sick for 2 days", 2, 4, None),
        ("she was ill on monday and tuesday, she does two mornings a week", 2, 2, None),
        ("on £2,000 a month, off from Monday to Wednesday", 3, None, "461.54"),
        ("off 3 weeks", None, None, None),  # weeks, not days
        ("off since Monday with a chest infection", None, None, None),  # still off: not a count of days
        ("Worker on £300 a week was off sick Monday to Friday and then the following Monday and Tuesday", 7, 5, "300"),
        ("She works Tuesdays and Thursdays only, earns £160 a week", None, 2, "160"),
        ("Is SSP still £118.75 a week?", None, None, None),  # a rate quoted back, not their pay
        ("kitchen lad, 4 days a week on about £380, what do I owe him?", None, 4, "380"),  # pay beside a weekly pattern
        ("works 5 mornings a week and is paid a flat £150 a week, off Monday to Friday", 5, 5, "150"),
        ("works Monday, Wednesday and Friday; off sick on the Monday and Wednesday and came in on Friday", 2, 3, None),
        ("off sick from Monday 16 to Wednesday 18 November, back in on the Thursday", 3, None, None),  # dated days
        ("paid monthly, £650 gross every month, works 3 days a week", None, 3, "150.00"),
    ],
)
def test_days_off_working_pattern_and_salary_are_read(text: str, days_off, working_days, weekly) -> None:
    figures = read_figures(text)
    assert (figures.days_off, figures.working_days) == (days_off, working_days)
    assert figures.weekly_earnings == (Decimal(weekly) if weekly else None)
    assert figures.cost is None  # a salary is not a cost


@pytest.mark.parametrize(
    ("text", "shortest", "longest"),
    [
        ("She was off 2 weeks, then back at work for 10 weeks, then off again", 70, 70),
        ("he came back for a month and went off again", 28, 31),
        ("off again 6 weeks later with the same thing", 42, 42),
        ("a gap of about three months between them", 84, 93),
    ],
)
def test_the_gap_between_spells_is_read(text: str, shortest: int, longest: int) -> None:
    gap = read_figures(text).gap
    assert gap is not None and (gap.shortest_days, gap.longest_days) == (shortest, longest)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He has been off sick since 1 June 2026", dt.date(2026, 6, 1)),
        ("off sick from Friday 6 November and still off", dt.date(2026, 11, 6)),  # no year: the latest 6 November
        ("off since december 20th", dt.date(2025, 12, 20)),  # not in the future
        ("went off on Monday 2 November 2026", dt.date(2026, 11, 2)),
        ("she has worked here since 1 June 2020", None),  # not a spell of sickness
    ],
)
def test_the_date_a_spell_of_sickness_started_is_read(text: str, expected: dt.date | None) -> None:
    since = read_figures(text).sick_since
    assert (since.on_or_before(dt.date(2026, 11, 30)) if since else None) == expected


def test_a_new_starter_is_recognised_for_the_access_to_work_cost_share() -> None:
    assert read_figures("for someone who started 3 weeks ago").new_starter
    assert read_figures("our new hire starts in 2 weeks").new_starter
    assert not read_figures("she started 10 weeks ago").new_starter
    assert not read_figures("an existing member of staff").new_starter


def test_weeks_off_in_words_are_read() -> None:
    assert read_figures("off sick for two full weeks").weeks_off == Decimal("2")
    assert read_figures("she is off for a fortnight").weeks_off == Decimal("2")
    assert read_figures("off for a week after an operation, earns £115 a week").weeks_off == Decimal("1")


def test_months_off_are_read_apart_from_weeks() -> None:
    assert read_figures("off since June, about 5 months now").months_off == Decimal("5")
    assert read_figures("off 3 weeks, 2 months ago").months_off is None  # weeks given: months are not the absence


def test_time_back_at_work_is_not_read_as_weeks_off() -> None:
    assert read_figures("off again 6 weeks later").weeks_off is None
    assert read_figures("She was off 2 weeks, then back at work for 10 weeks").weeks_off == Decimal("2")


@pytest.mark.parametrize(
    ("text", "spells", "days"),
    [
        ("4 spells of 2 days each in the last year", 4, 8),
        ("three absences totalling 9 days", 3, 9),
        ("off 5 times this year, 7 days in total", 5, 7),
        ("six separate absences of 1 day", 6, 6),
    ],
)
def test_spells_and_days_are_read_for_the_bradford_factor(text: str, spells: int, days: int) -> None:
    figures = read_figures(text)
    assert (figures.spells, figures.days_absent) == (spells, Decimal(days))


def test_question_words_include_stems_for_situation_cautions() -> None:
    words = question_words("Can I sack someone who keeps going off sick?")
    assert {"sack", "sick", "off"} <= words


def test_a_part_that_leans_on_the_previous_one_is_recognised() -> None:
    assert parse_question("How much is SSP, and for how long?").parts == ("How much is SSP", "for how long?")
    assert all(is_elliptical(p) for p in ("and who applies for it?", "how much does it cost", "for how long?"))
    assert not any(is_elliptical(p) for p in ("who can issue fit notes?", "does she get paid while off sick with her back?"))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("when do i need a doctors note from staff", "time"),
        ("off sick during notice period what pay", "amount"),
        ("How long does SSP last?", "duration"),
        ("who pays for the ramp", "who"),
        ("can staff come back before their sick note runs out", "yes-no"),
        ("What should I do?", None),
        ("employee refuses consent to medical report what now", None),
    ],
)
def test_what_a_question_asks_for_is_its_first_interrogative(question: str, kind: str | None) -> None:
    assert asks_for(question) == kind


def test_a_n_day_week_is_a_working_pattern() -> None:
    assert read_figures("ssp daily rate 5 day week").working_days == 5
    assert read_figures("on a three-day week").working_days == 3


def test_weeks_of_company_sick_pay_are_not_weeks_off() -> None:
    text = "Our contract gives 4 weeks full company sick pay. He's been off 6 weeks. What do I pay him now?"
    assert read_figures(text).weeks_off == Decimal(6)
    assert read_figures("we pay 12 weeks of full pay and she is off sick for 14 weeks").weeks_off == Decimal(14)


def test_a_cost_at_the_end_of_a_sentence_is_read() -> None:
    assert read_figures("A chair and keyboard costing £1,500. How much do we pay?").cost == Decimal(1500)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("on £15 an hour, normally 40 hours, now on a phased return doing 20 hours this week", "20"),
        ("normally works 5 x 8-hour days; on her phased return she is doing 3 days of 8 hours", "24"),
        ("back on 3 x 4-hour shifts", "12"),
        ("she works 30 hours a week", None),  # her usual hours, not reduced ones
    ],
)
def test_hours_worked_on_reduced_hours_are_read(text: str, hours: str | None) -> None:
    found = read_figures(text).hours_worked
    assert (f"{found.normalize():f}" if found is not None else None) == hours


def test_a_second_question_after_a_preposition_is_its_own_part() -> None:
    parsed = parse_question("Do I need a fit note for someone off for 5 days, and from which day do I pay them SSP?")
    assert parsed.parts == ("Do I need a fit note for someone off for 5 days", "from which day do I pay them SSP?")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("off sick Thursday to the following Wednesday, 5 working days", 7),
        ("off sick monday to the following monday", 8),
        ("she has been off 9 consecutive days", 9),
        ("off three days in a row", 3),
        ("off tuesday to thursday", None),  # working days, read as days off, not a run of calendar days
    ],
)
def test_calendar_days_off_in_a_row_are_read(text: str, days: int | None) -> None:
    assert read_figures(text).days_in_row == days


def test_an_auxiliary_that_continues_a_statement_does_not_start_a_second_question() -> None:
    statement = parse_question("My driver earns £380 a week and has been off 3 weeks with a slipped disc, what do I owe him?")
    assert len(statement.parts) == 1
    second = parse_question("What does it cost, and is there any tax help?")
    assert second.parts == ("What does it cost", "is there any tax help?")


def test_a_question_of_pronouns_alone_is_never_matched_without_its_scenario() -> None:
    assert not asks_something("Does he?") and not asks_something("what about her?")
    assert asks_something("How often should I be contacting her?")


def test_a_place_in_northern_ireland_is_named_as_northern_ireland() -> None:
    assert with_northern_ireland("a café in Derry with 14 staff") == "a café in Derry, Northern Ireland, with 14 staff"
    assert with_northern_ireland("our Belfast office, Northern Ireland") == "our Belfast office, Northern Ireland"
    assert names_northern_ireland("a shop in Omagh") and names_northern_ireland("staff in NI")
    assert not names_northern_ireland("a shop in Derby") and with_northern_ireland("in Derby") == "in Derby"
    national_insurance = ("do I take tax and NI off SSP?", "does NI come off sick pay", "employer NI on SSP")
    assert not any(names_northern_ireland(q) for q in national_insurance)  # National Insurance, not Northern Ireland


def test_a_generic_follow_up_asks_nothing_of_its_own() -> None:
    assert is_generic_follow_up("what do I need to do first?") and is_generic_follow_up("what happens next?")
    assert not is_generic_follow_up("and who pays?") and not is_generic_follow_up("how long does it last?")


def test_hours_a_day_times_working_days_give_the_weekly_hours_and_pay() -> None:
    figures = read_figures("works Thursday, Friday and Saturday, 8 hours a day at £14 an hour")
    assert (figures.hours_a_week, figures.hourly_pay, figures.working_days) == (Decimal(24), Decimal(14), 3)
    assert figures.earnings == Decimal("336.00")
    weekend = read_figures("works Saturday and Sunday, 5 hours each day at £12.71")
    assert (weekend.hours_a_week, weekend.hourly_pay) == (Decimal(10), Decimal("12.71"))


@pytest.mark.parametrize(
    ("text", "days_off", "spell"),
    [
        # the first day back ends the spell: Wednesday to Friday, then a full week
        (
            "works Monday to Friday. Off sick from Wednesday 18 November and came back on Monday 30 November",
            8,
            (dt.date(2026, 11, 18), dt.date(2026, 11, 29)),
        ),
        # only the days they work count: five Mondays, Tuesdays and Wednesdays
        (
            "works Mon, Tue and Wed. Off since Monday 2 November, fit note says he's back Monday 7 December",
            15,
            (dt.date(2026, 11, 2), dt.date(2026, 12, 6)),
        ),
        # a range of dates includes its last day; with no pattern given, Monday to Friday
        ("off sick from 3 November to 13 November", 9, (dt.date(2026, 11, 3), dt.date(2026, 11, 13))),
        # a spell counted to a dated day: "up to and including yesterday (Monday 30 November)"
        (
            "what do I owe up to and including yesterday (Monday 30 November)? off sick since Tuesday 3 November",
            20,
            (dt.date(2026, 11, 3), dt.date(2026, 11, 30)),
        ),
        # a return from an earlier spell is not the end of this one
        ("came back to work on Monday 5 October, then went off sick again on Monday 2 November", None, None),
        # one end only: nothing to count
        ("works Monday to Friday, off sick since 18 November", None, None),
        # a pattern of 3 days a week without its days: the count would be a guess
        ("works 3 days a week, off from 2 November, back on 16 November", None, None),
    ],
)
def test_working_days_off_are_counted_from_the_dates_a_question_gives(text: str, days_off, spell) -> None:
    figures = placed_in_calendar(parse_question(text), dt.date(2026, 12, 1)).figures
    assert (figures.days_off if spell else None, figures.spell) == (days_off, spell)


def test_hours_beside_an_hourly_rate_and_weekends_off_are_read() -> None:
    figures = read_figures("works Monday to Friday, 37.5 hours on £12.90 an hour")
    assert figures.earnings == Decimal("483.75")
    weekend = read_figures("only works weekends, 8 hours in total at £13 an hour. Off sick the last two weekends")
    assert (weekend.earnings, weekend.weeks_off, weekend.work_weekdays) == (Decimal("104.00"), Decimal(2), (5, 6))
    assert read_figures("6 hours a day at £12 an hour").hours_a_week is None  # a day's hours are not a week's


def test_a_named_weekday_dates_the_start_of_a_spell_and_ssps_own_weeks_are_not_time_off() -> None:
    tuesday = dt.date(2026, 12, 1)
    last_wednesday = placed_in_calendar(parse_question("she has been off since last Wednesday"), tuesday).figures
    assert last_wednesday.sick_since is not None and last_wednesday.sick_since.on_or_before(tuesday) == dt.date(2026, 11, 25)
    monday = placed_in_calendar(parse_question("off sick since Monday, when do I need a fit note?"), tuesday).figures
    assert monday.sick_since is not None and monday.sick_since.on_or_before(tuesday) == dt.date(2026, 11, 30)
    dated = placed_in_calendar(parse_question("off since Monday 2 November"), tuesday).figures
    assert dated.sick_since is not None and dated.sick_since.on_or_before(tuesday) == dt.date(2026, 11, 2)
    assert read_figures("off from Monday to Wednesday").sick_since_weekday is None  # a span, not a start
    assert read_figures("off since early June, his 28 weeks run out in December").weeks_off is None
    assert read_figures("off sick for 3 weeks").weeks_off == 3


def test_a_plan_followed_only_by_is_that_ok_is_kept_as_a_question() -> None:
    parsed = parse_question("She needs a new chair. I plan to take the cost out of her wages over three months. OK?")
    assert parsed.plan == "can I take the cost out of her wages over three months?"
    assert parse_question("We're going to move him to days. Any problem with that?").plan == "can I move him to days?"
    assert parse_question("I plan to move him to days. Can he claim SSP?").plan is None  # a question of its own
    assert parse_question("Is that OK?").plan is None  # no plan told
    both = parse_question("We plan to dismiss her next week. Can we, and who can we ring for advice first?")
    assert both.parts == ("can I dismiss her next week?", "who can we ring for advice first?")  # "Can we" asks about the plan
    done = parse_question("He phoned in sick and I already told him the first three days are unpaid. Was that wrong?")
    assert done.plan == "can I tell him the first three days are unpaid?"  # what was done, asked as a plan


@pytest.mark.parametrize(
    ("text", "accident"),
    [
        ("One of our lads fell off a tower on Thursday 12 November and has been off since", CalendarDay(12, 11, None)),
        ("he cut his hand on the 3rd of November at work", CalendarDay(3, 11, None)),
        ("our driver twisted his ankle unloading on monday 16 november", CalendarDay(16, 11, None)),
        ("she has been off since 12 November with flu", None),  # a spell of sickness, not an accident
    ],
)
def test_the_day_of_an_accident_is_read(text: str, accident: CalendarDay | None) -> None:
    assert read_figures(text).accident_on == accident


def test_an_accident_some_days_ago_is_placed_in_the_calendar() -> None:
    parsed = placed_in_calendar(
        parse_question("The accident was 15 days ago. Have we missed the deadline?"), dt.date(2026, 12, 2)
    )
    assert parsed.figures.accident_on == CalendarDay(17, 11, 2026)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("shes been with us 18 months, can i sack her", Decimal(18)),
        ("he has 2 and a half years' service", Decimal(30)),
        ("worked here for 3 years", Decimal(36)),
        ("employed for about 5 months", Decimal(5)),
        ("she's been off for 18 months", None),  # time off, not service
        ("with 14 months' continuous service", Decimal(14)),
    ],
)
def test_length_of_service_is_read(text: str, months: Decimal | None) -> None:
    assert read_figures(text).service_months == months


def test_a_start_month_gives_the_length_of_service_today() -> None:
    today = dt.date(2026, 12, 2)
    joined = placed_in_calendar(parse_question("She started with us in March 2025. Can I let her go?"), today)
    assert joined.figures.service_months == Decimal(21)
    dated = placed_in_calendar(parse_question("He joined on 14 June 2024 and is always off."), today)
    assert dated.figures.service_months == Decimal(29)
    sickness = placed_in_calendar(parse_question("Her sickness started in March 2025. What now?"), today)
    assert sickness.figures.service_months is None  # the date of the sickness, not of the job


def test_ssp_s_28_weeks_as_an_allowance_is_not_time_off() -> None:
    figures = read_figures("He's been off five weeks with a slipped disc, and my partner says he has 28 weeks of SSP to use up.")
    assert figures.weeks_off == Decimal(5)


@pytest.mark.parametrize(
    ("question", "wrong", "done"),
    [
        ("I told him the first three days are unpaid. Was that wrong?", True, True),
        ("I docked her a day's pay for the afternoon she went home ill. Was I allowed to?", False, True),
        ("I told him he can't come back till he's fully fit. Did I get that wrong?", True, True),
        ("I'm going to keep her off until she is fully fit. Is that OK?", False, False),
        ("Was that wrong?", False, False),  # no plan stated: nothing to give a verdict on
    ],
)
def test_a_plan_asked_about_is_read_with_its_tense_and_polarity(question: str, wrong: bool, done: bool) -> None:
    parsed = parse_question(question)
    assert (parsed.asks_if_wrong, parsed.done_already) == (wrong, done)


def test_a_short_question_pointing_back_is_asked_about_the_sentence_before() -> None:
    parsed = parse_question(
        "He is on PAYE. My wife reckons we don't have to pay him SSP because he's family. Do we have to pay it properly?"
    )
    assert parsed.asked_about.startswith("My wife reckons we don't have to pay him SSP")
    plan = parse_question("She is off with flu. My plan is to pay her nothing. Any problem with that?")
    assert plan.asked_about == "My plan is to pay her nothing. Any problem with that?"
    assert parse_question("He is on PAYE. How much SSP do I pay him?").asked_about == "How much SSP do I pay him?"


def test_two_dated_spells_give_the_gap_between_them() -> None:
    parsed = placed_in_calendar(
        parse_question(
            "She was off 7 to 18 September with tonsillitis, came back, then went off again on 2 November. "
            "Do the spells link, and does September come off her 28-week maximum?"
        ),
        dt.date(2026, 12, 2),
    )
    assert parsed.figures.gap is not None and parsed.figures.gap.longest_days == 44
    assert "19 September to 1 November" in parsed.figures.gap.said
    assert parsed.figures.weeks_off is None  # SSP's 28-week maximum is not time off
    assert read_figures("Our food bank has 6 paid staff and 40 volunteers.").staff == 6


@pytest.mark.parametrize(
    ("part", "leans"),
    [("Are there any conditions?", True), ("any catches?", True), ("What are the rules on fit notes for agency staff?", False)],
)
def test_a_later_part_asking_only_for_the_terms_leans_on_the_part_before(part: str, leans: bool) -> None:
    assert is_elliptical(part) is leans


def test_the_terms_a_later_part_asks_for_are_named() -> None:
    assert [asks_its_terms(p) for p in ("Are there any conditions?", "any catches?", "what are the rules?")] == [
        "condition",
        "catch",
        "rule",
    ]
    assert asks_its_terms("How much does it cost?") is None


@pytest.mark.parametrize(
    ("text", "bone"),
    [("slipped and fractured his ankle", "ankle"), ("broke two fingers on the saw", "fingers"), ("he's off with flu", None)],
)
def test_a_broken_bone_is_read(text: str, bone: str | None) -> None:
    assert read_figures(text).broken_bone == bone


@pytest.mark.parametrize(
    ("question", "claim", "claimant"),
    [
        (
            "My partner says we don't have to pay SSP to someone on a zero hours contract. Who's right?",
            "we don't have to pay SSP to someone on a zero hours contract",
            "your partner",
        ),
        (
            "The owner told me that we can't sack someone who is off sick, is that right?",
            "we can't sack someone who is off sick",
            "the owner",
        ),
        ("I think we have to pay her SSP from the first day. Am I right?", "we have to pay her SSP from the first day", "you"),
        ("I was told the first three days are unpaid. Is that still the case?", "the first three days are unpaid", None),
        ("A mate told me you can't contact staff off with stress. True?", "you can't contact staff off with stress", None),
        (
            "one of the girls says SSP only starts after 4 days in a row. is that still true??",
            "SSP only starts after 4 days in a row",
            None,
        ),
        (
            "Our accountant says SSP is only for people earning over £125 a week - is he right?",
            "SSP is only for people earning over £125 a week",
            "your accountant",
        ),
    ],
)
def test_a_claim_to_check_is_read_with_who_made_it(question: str, claim: str, claimant: str | None) -> None:
    parsed = parse_question(question)
    assert parsed.claim is not None
    assert (parsed.claim.text, parsed.claim.claimant) == (claim, claimant)
    assert parsed.parts[0] == f"{claim}?"  # the claim itself is what is asked, for matching with the cards
    assert claim not in parsed.context


@pytest.mark.parametrize(
    "question",
    [
        "Is that right?",  # nothing was claimed before it
        "He says his back is bad. How long can he be off?",  # a report, not a claim to check
        "My wife reckons we don't have to pay him SSP because he's family. Do we have to pay it properly?",
    ],
)
def test_no_claim_is_read_without_a_request_to_check_one(question: str) -> None:
    assert parse_question(question).claim is None


def test_a_claim_s_figures_are_not_read_as_the_facts() -> None:
    parsed = parse_question(
        "She has had 3 odd days off sick this month. One of the other girls says SSP only kicks in once you've been off "
        "4 days in a row, so I don't owe her anything. Is that still true?"
    )
    assert parsed.claim is not None and parsed.figures.days_off != 4
    accountant = parse_question("Our accountant says SSP is only for people earning over £125 a week - is he right?")
    assert accountant.figures.weekly_earnings is None


def test_service_is_read_with_me_as_well_as_with_us_but_not_time_off() -> None:
    assert read_figures("lad at my kiosk has only been with me 14 months and he's forever off sick").service_months == 14
    assert read_figures("She has worked for me 3 years").service_months == 36
    assert read_figures("She has been off with me for 3 months now").service_months is None


def test_weeks_of_pregnancy_are_not_weeks_off_sick() -> None:
    figures = read_figures("One of our therapists is 14 weeks pregnant and has been off since Monday with bad sickness.")
    assert figures.weeks_off is None
    assert read_figures("She is twenty weeks pregnant, due in 6 weeks? No: off sick for 3 weeks.").weeks_off == 3


def test_days_at_two_branches_of_one_employer_make_one_working_week() -> None:
    figures = read_figures(
        "Our receptionist works Monday to Wednesday at our town-centre opticians and Thursday and Friday at our second "
        "branch, same company, same payroll."
    )
    assert figures.working_days == 5
    assert read_figures("She works Monday to Wednesday at the shop.").working_days == 3
    named_days = read_figures("She works Monday and Tuesday at our office and Thursday at the warehouse, same company.")
    assert named_days.working_days == 3
    assert read_figures("He works Monday and Tuesday. Off since Thursday and Friday at home.").working_days == 2


def test_a_plan_asked_is_that_right_is_not_read_as_a_claim_told_earlier() -> None:
    parsed = parse_question(
        "One of our tattoo artists told me in confidence that he's HIV positive. He's well. I'm planning to carry on as "
        "normal and not treat him as disabled since he isn't ill, is that right?"
    )
    assert parsed.claim is None


def test_pay_totalled_over_weeks_is_averaged_to_a_week() -> None:
    assert read_figures("Her gross pay over the last 8 weeks adds up to £1,040. Off sick.").weekly_earnings == Decimal("130.00")
    assert read_figures("He earned £2,400 in total over the last 8 weeks and is off sick.").weekly_earnings == Decimal("300.00")
    before = read_figures("She earned £960 in total over the 8 weeks before she went off sick. Weekly SSP?")
    assert before.weekly_earnings == Decimal("120.00") and before.weeks_off is None  # the pay period is not time off


def test_a_spell_dated_at_both_ends_without_since_is_counted() -> None:
    parsed = placed_in_calendar(
        parse_question("She works 5 days a week and is off sick all of this week, Monday 30 November to Friday 4 December."),
        dt.date(2026, 12, 2),
    )
    assert parsed.figures.days_off == 5


def test_a_spell_counted_up_to_today_ends_today() -> None:
    question = "Works Monday to Thursday. He's been off sick from Monday 30 November up to and including today. SSP?"
    assert placed_in_calendar(parse_question(question), dt.date(2026, 12, 2)).figures.days_off == 3
    assert (
        placed_in_calendar(
            parse_question(question.replace("and including today", "yesterday")), dt.date(2026, 12, 2)
        ).figures.days_off
        == 2
    )


@pytest.mark.parametrize(
    ("question", "staff"),
    [
        ("We have under 50 staff. What do we pay towards Access to Work?", 49),
        ("fewer than 50 employees, access to work cost?", 49),
        ("We're just under 250 staff.", 249),
        ("We have over 49 staff.", 50),
        ("We are a firm of more than 250 people.", 251),
        ("A team of 12.", 12),
    ],
)
def test_a_staff_number_with_fewer_than_or_over_is_read_inside_its_band(question: str, staff: int) -> None:
    assert read_figures(question).staff == staff


@pytest.mark.parametrize(
    "question",
    [
        "She has been off sick since Monday 30 November. How much SSP do I owe her so far?",
        "She went off sick on Monday 30 November and is still off today. How much SSP?",
        "Off sick since 30 November, how much SSP have we paid to date?",
    ],
)
def test_a_dated_spell_asked_about_so_far_is_counted_to_today(question: str) -> None:
    assert placed_in_calendar(parse_question(question), dt.date(2026, 12, 2)).figures.days_off == 3


def test_so_far_this_year_is_not_a_spell_counted_to_today() -> None:
    question = "Off sick since Monday 30 November. He has had 4 spells so far this year. Bradford score?"
    assert placed_in_calendar(parse_question(question), dt.date(2026, 12, 2)).figures.off_until_days_ago is None


@pytest.mark.parametrize(
    ("question", "months", "bound"),
    [
        ("Can I dismiss someone with under 2 years service for being off sick a lot?", 23, "less than"),
        ("She has been with us for over 2 years.", 25, "more than"),
        ("She has 2 years' service.", 24, None),
    ],
)
def test_a_service_bound_is_read_on_its_side_of_the_line(question: str, months: int, bound: str | None) -> None:
    figures = read_figures(question)
    assert (figures.service_months, figures.service_bound) == (months, bound)


def test_the_28_weeks_of_ssp_named_as_a_limit_are_not_weeks_off() -> None:
    assert read_figures("Back two days, now off again. Does her 28-week count start again too?").weeks_off is None
    assert read_figures("Off since June. Has he used up his 28 weeks of SSP?").weeks_off is None
    assert read_figures("He has been off sick 28 weeks. What now?").weeks_off == 28


def test_the_sick_spell_is_not_read_as_the_working_week() -> None:
    figures = read_figures("Our cook was off with flu Tuesday to Thursday; she works Monday to Friday. SSP per day?")
    assert figures.work_weekdays == (0, 1, 2, 3, 4) and figures.working_days == 5 and figures.days_off == 3


def test_a_spell_starting_on_a_day_they_went_home_ill_counts_from_the_next_day() -> None:
    question = "He went home ill at 2pm on Thursday 26 November and is still off today. How much SSP so far?"
    parsed = placed_in_calendar(parse_question(question), dt.date(2026, 12, 2))
    assert parsed.figures.went_home_first_day and parsed.figures.days_off == 4  # Friday, Monday, Tuesday, Wednesday
    assert parsed.figures.spell == (dt.date(2026, 11, 27), dt.date(2026, 12, 2))


def test_off_with_sickness_since_a_date_is_a_dated_spell() -> None:
    figures = read_figures("She has been off with severe sickness (hyperemesis) since Monday 16 November.")
    assert (figures.sick_since.day, figures.sick_since.month) == (16, 11)


def test_days_before_coming_back_count_only_the_days_they_work() -> None:
    figures = read_figures(
        "Works Monday to Friday. He went home ill at 11am on Tuesday 24 November, stayed off the rest of that week and "
        "came back on the Monday."
    )
    assert figures.days_off == 3  # Wednesday to Friday: the part day and the weekend are not days off sick
    assert read_figures("Sick Monday, back Thursday.").days_off == 3
