"""Worked figures that apply a dated rule to the question's own facts: RIDDOR reporting deadlines from the day of an
accident, the qualifying service for unfair dismissal from their length of service, and the tax-free part of
treatment occupational health recommends from its cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onestop.calculators import (
    RIDDOR_FULL_REPORT_DAYS,
    RIDDOR_REPORT_DAYS,
    pounds,
    qualifying_service_on,
    qualifying_service_periods,
    riddor_dates,
    treatment_exemption,
)
from onestop.text import long_date


def riddor_over_7_days_figure(accident: dt.date, today: dt.date) -> str:
    """The day an over-7-day injury's report is due, whether that has passed, and how the 7 days are counted."""
    dates = riddor_dates(accident)
    due = f"{_day(dates.over_7_day_deadline)}, {RIDDOR_REPORT_DAYS} days after the accident"
    counted = (
        f"More than 7 days means still off on {_day(dates.reportable_on)}, counting from {_day(dates.count_from)} "
        "with weekends included."
    )
    if today > dates.over_7_day_deadline:
        return (
            f"Worked figure: for an accident on {_day(accident)}, the RIDDOR report was due by {due}. That date has "
            f"passed: if it kept them off, or off their normal duties, for more than 7 days, report it now. {counted}"
        )
    return (
        f"Worked figure: for an accident on {_day(accident)}, the RIDDOR report is due by {due}, if it keeps them off, "
        f"or off their normal duties, for more than 7 days. {counted}"
    )


_NOT_SPECIFIED = ("finger", "fingers", "thumb", "toe", "toes")  # broken bones RIDDOR does not list as specified


def riddor_specified_figure(accident: dt.date, today: dt.date, broken_bone: str | None = None) -> str:
    """The RIDDOR dates for a serious (specified) injury, with the over-7-day deadline for any other injury; a broken
    bone the question names is said to be specified (report now) or not (the over-7-day rule)."""
    if not broken_bone:
        return _specified_dates(accident, today)
    bone = {"ribs": "rib", "fingers": "finger", "toes": "toe"}.get(broken_bone, broken_bone)
    if broken_bone in _NOT_SPECIFIED:
        over_7_days = riddor_over_7_days_figure(accident, today).removeprefix("Worked figure: ")
        return f"Worked figure: a broken {bone} is not a specified injury. {over_7_days[:1].upper()}{over_7_days[1:]}"
    dates = riddor_dates(accident)
    figure = (
        f"Worked figure: a broken {bone} is a specified injury, so report it without delay; for an accident on "
        f"{_day(accident)}, send the full report by {_day(dates.full_report_due)}, {RIDDOR_FULL_REPORT_DAYS} days after "
        f"the accident. Counted only as an injury keeping them off for more than 7 days, it would be due by "
        f"{_day(dates.over_7_day_deadline)}, {RIDDOR_REPORT_DAYS} days after the accident."
    )
    if today > dates.over_7_day_deadline:
        figure += " Both dates have passed: report it now."
    elif today > dates.full_report_due:
        figure += f" The {RIDDOR_FULL_REPORT_DAYS}-day date has passed: report it now."
    return figure


def _specified_dates(accident: dt.date, today: dt.date) -> str:
    dates = riddor_dates(accident)
    full = f"{_day(dates.full_report_due)}, {RIDDOR_FULL_REPORT_DAYS} days after the accident"
    other = f"{_day(dates.over_7_day_deadline)}, {RIDDOR_REPORT_DAYS} days after the accident"
    if today > dates.over_7_day_deadline:
        return (
            f"Worked figure: for an accident on {_day(accident)}, both RIDDOR deadlines have passed, so report it now. "
            f"A specified injury, such as a broken arm or wrist, had to be reported without delay, with the full report "
            f"by {full}; any other injury that kept them off for more than 7 days, by {other}."
        )
    if today > dates.full_report_due:
        return (
            f"Worked figure: for an accident on {_day(accident)}, a specified injury, such as a broken arm or wrist, had "
            f"to be reported without delay, with the full report by {full}: that date has passed, so report it now. Any "
            f"other injury that keeps them off for more than 7 days must be reported by {other}."
        )
    return (
        f"Worked figure: for an accident on {_day(accident)}, report a specified injury, such as a broken arm or wrist, "
        f"without delay and send the full report by {full}. Any other injury that keeps them off for more than 7 days "
        f"must be reported by {other}."
    )


def qualifying_service_figure(rates: dict, months: Decimal, today: dt.date, bound: str | None = None) -> str:
    """Whether their length of service is enough to claim unfair dismissal now, and under the next period if one is due.
    With a bound ("less than" 2 years, read as 23 months), the figure says it as the question did."""
    service = _service(months)
    if bound == "less than":
        service = f"less than {_service(months + 1)}"
    elif bound == "more than":
        service = f"more than {_service(months - 1)}"
    now = qualifying_service_on(rates, today)
    coming = next((period for period in qualifying_service_periods(rates) if period.applies_from > today), None)
    needed_now = _service(Decimal(now.months))
    if coming is None:
        has = "have" if months >= now.months else "do not have"
        figure = f"Worked figure: with {service} service, they {has} the {needed_now} service needed to claim unfair dismissal."
    else:
        until = long_date(coming.applies_from - dt.timedelta(days=1))
        needed_next = _service(Decimal(coming.months))
        if months >= max(now.months, coming.months):
            figure = (
                f"Worked figure: with {service} service, they have the {needed_now} service needed to claim unfair "
                "dismissal, so any dismissal needs a fair reason and a fair process."
            )
        elif months >= coming.months:
            already = ", which they already have" if bound != "less than" else ", so check how long they have worked for you"
            figure = (
                f"Worked figure: with {service} service, they are short of the {needed_now} service needed to claim "
                f"unfair dismissal until {until}. From {long_date(coming.applies_from)} the qualifying period is due to "
                f"fall to {_bare(coming.months)}{already}. Check GOV.UK or Acas for how the change applies "
                "to a dismissal close to that date."
            )
        else:
            figure = (
                f"Worked figure: with {service} service, they have less than the {needed_now} service needed to claim "
                f"unfair dismissal until {until}, and less than the {needed_next} service due to apply from "
                f"{long_date(coming.applies_from)}."
            )
    return f"{figure} A disability discrimination claim needs no qualifying service."


TREATMENT_ABSENCE_DAYS = 28  # the exemption needs at least 28 consecutive days absent or assessed unfit


def treatment_tax_figure(rates: dict, cost: Decimal, today: dt.date, weeks_off: Decimal | None = None) -> str:
    """How much of the treatment's cost can be free of income tax and how much is a taxable benefit, and the conditions."""
    split = treatment_exemption(rates, cost, today)
    limit = pounds(split.annual_limit)
    if split.taxable:
        figure = (
            f"Worked figure: of {pounds(split.cost)} of treatment, up to {limit} a tax year can be free of income tax, "
            f"so {pounds(split.taxable)} is a taxable benefit"
        )
    else:
        figure = f"Worked figure: all {pounds(split.cost)} can be free of income tax (the limit is {limit} a tax year)"
    figure += (
        f", if the conditions are met: at least {TREATMENT_ABSENCE_DAYS} consecutive days absent or assessed unfit, and the "
        "treatment recommended in writing through occupational health."
    )
    if weeks_off is not None:
        days = int(weeks_off * 7)
        meets = "meet" if days >= TREATMENT_ABSENCE_DAYS else "do not meet"
        figure += (
            f" Off for {weeks_off.normalize():f} weeks ({days} days), they {meets} the {TREATMENT_ABSENCE_DAYS}-day condition."
        )
    return figure


def _day(day: dt.date) -> str:
    return f"{day:%A} {long_date(day)}"


def _bare(months: int) -> str:
    """'6 months', '2 years', '1 year'."""
    if months % 12 == 0:
        years = months // 12
        return f"{years} year" if years == 1 else f"{years} years"
    return f"{months} months"


def _service(months: Decimal) -> str:
    """Length of service with its possessive apostrophe: "18 months'", "2 years'", "1 year's"."""
    whole = int(months)
    if months == whole:
        words = _bare(whole)
        return f"{words}'s" if words.endswith("year") else f"{words}'"
    return f"{months.normalize():f} months'"
