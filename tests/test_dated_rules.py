"""Worked figures from dated rules: RIDDOR deadlines from an accident's date, qualifying service for unfair dismissal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from onestop.calculators import load_rates
from onestop.dated_rules import (
    qualifying_service_figure,
    riddor_over_7_days_figure,
    riddor_specified_figure,
    treatment_tax_figure,
)

RATES = load_rates(Path(__file__).parents[1] / "corpus")
ACCIDENT = dt.date(2026, 11, 12)  # a Thursday


def test_an_over_7_day_injury_is_counted_from_the_day_after_the_accident() -> None:
    figure = riddor_over_7_days_figure(ACCIDENT, today=dt.date(2026, 11, 16))
    assert figure.startswith(
        "Worked figure: for an accident on Thursday 12 November 2026, the RIDDOR report is due by Friday 27 November 2026,"
    )  # the deadline first
    assert "still off on Friday 20 November 2026, counting from Friday 13 November 2026" in figure  # the 8th day
    assert "passed" not in figure


def test_a_missed_riddor_deadline_is_said_plainly() -> None:
    assert "passed" not in riddor_over_7_days_figure(ACCIDENT, today=dt.date(2026, 11, 27))  # the last day is in time
    late = riddor_over_7_days_figure(ACCIDENT, today=dt.date(2026, 11, 28))
    assert "the RIDDOR report was due by Friday 27 November 2026, 15 days after the accident. That date has passed" in late
    assert "report it now" in late


def test_a_specified_injury_gives_the_full_report_date_and_the_other_deadline() -> None:
    early = riddor_specified_figure(ACCIDENT, today=dt.date(2026, 11, 20))
    assert "without delay and send the full report by Sunday 22 November 2026, 10 days after" in early
    assert "reported by Friday 27 November 2026, 15 days after the accident" in early and "passed" not in early
    figure = riddor_specified_figure(ACCIDENT, today=dt.date(2026, 11, 24))
    assert "full report by Sunday 22 November 2026, 10 days after the accident: that date has passed" in figure
    both = riddor_specified_figure(ACCIDENT, today=dt.date(2026, 12, 2))
    assert "both RIDDOR deadlines have passed, so report it now" in both.split(". ")[0]


def test_service_between_6_months_and_2_years_is_short_now_but_enough_from_2027() -> None:
    figure = qualifying_service_figure(RATES, Decimal(18), today=dt.date(2026, 12, 2))
    assert "with 18 months' service, they are short of the 2 years' service needed to claim unfair dismissal" in figure
    assert "until 31 December 2026" in figure and "From 1 January 2027" in figure and "which they already have" in figure
    assert figure.endswith("A disability discrimination claim needs no qualifying service.")


def test_service_against_both_periods_and_after_the_change() -> None:
    assert "they have the 2 years' service needed" in qualifying_service_figure(RATES, Decimal(36), dt.date(2026, 12, 2))
    short = qualifying_service_figure(RATES, Decimal(4), dt.date(2026, 12, 2))
    assert "less than the 2 years' service needed" in short and "less than the 6 months' service due to apply" in short
    after = qualifying_service_figure(RATES, Decimal(12), dt.date(2027, 2, 1))  # the 6-month period in force
    assert "with 1 year's service, they have the 6 months' service needed to claim unfair dismissal" in after
    assert "do not have" in qualifying_service_figure(RATES, Decimal(3), dt.date(2027, 2, 1))


def test_treatment_over_the_limit_is_split_into_tax_free_and_taxable() -> None:
    figure = treatment_tax_figure(RATES, Decimal(600), dt.date(2026, 12, 2), weeks_off=Decimal(6))
    assert figure.startswith("Worked figure: of £600.00 of treatment, up to £500.00 a tax year can be free of income tax")
    assert "so £100.00 is a taxable benefit" in figure and "they meet the 28-day condition" in figure
    under = treatment_tax_figure(RATES, Decimal(450), dt.date(2026, 12, 2), weeks_off=Decimal(2))
    assert under.startswith("Worked figure: all £450.00 can be free of income tax") and "do not meet" in under


def test_a_named_broken_bone_is_said_to_be_specified_or_not() -> None:
    ankle = riddor_specified_figure(dt.date(2026, 11, 23), dt.date(2026, 12, 2), broken_bone="ankle")
    assert ankle.startswith("Worked figure: a broken ankle is a specified injury, so report it without delay;")
    assert "full report by Thursday 3 December 2026" in ankle and "passed" not in ankle
    assert "more than 7 days, it would be due by Tuesday 8 December 2026" in ankle
    finger = riddor_specified_figure(dt.date(2026, 11, 23), dt.date(2026, 12, 2), broken_bone="fingers")
    assert finger.startswith("Worked figure: a broken finger is not a specified injury. For an accident on Monday 23")
    assert "due by Tuesday 8 December 2026" in finger


def test_a_service_bound_is_said_as_the_question_put_it() -> None:
    under = qualifying_service_figure(RATES, Decimal(23), dt.date(2026, 12, 2), bound="less than")
    assert "with less than 2 years' service, they are short of the 2 years' service" in under
    assert "which they already have" not in under  # "under 2 years" may be under 6 months too
    over = qualifying_service_figure(RATES, Decimal(25), dt.date(2026, 12, 2), bound="more than")
    assert "with more than 2 years' service, they have the 2 years' service needed" in over
