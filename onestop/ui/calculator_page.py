"""The Calculators page: Statutory Sick Pay, phased-return top-up and Access to Work cost share."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from onestop.calculators import (
    access_to_work_cost_share,
    load_rates,
    national_living_wage_on,
    phased_return_top_up,
    pounds,
    ssp_rates,
    weekly_ssp,
)
from onestop.config import Settings
from onestop.errors import OneStopError
from onestop.text import NOT_LEGAL_ADVICE, long_date

# WCAG 2.2 target size (2.5.8): Streamlit's date field draws day and month as 18 px wide
# segments side by side; give each segment at least 24 x 24 px so each is easy to tap.
DATE_SEGMENT_TARGETS = (
    "<style>[data-testid='stDateInputField'] [role='spinbutton']"
    "{min-width: 24px; min-height: 24px; line-height: 24px; text-align: center;}</style>"
)


def render_calculator_page(settings: Settings) -> None:
    """Draw the whole Calculators page."""
    st.title("Calculators")
    st.info(NOT_LEGAL_ADVICE)
    try:
        rates = load_rates(settings.corpus_dir)
    except OneStopError as exc:
        st.error(str(exc))
        return

    st.header("Statutory Sick Pay for a week")
    st.html(DATE_SEGMENT_TARGETS)
    day = st.date_input("Week of sickness starting", value=dt.date.today(), format="DD/MM/YYYY")
    earnings = st.number_input("Employee's average weekly earnings (£)", min_value=0.0, value=400.0, step=10.0)
    try:
        ssp = weekly_ssp(rates, day, earnings)
        st.metric("Weekly SSP", pounds(ssp.amount))
        st.caption(f"{ssp.explanation} Source: [{ssp.rate.source}]({ssp.rate.source_url}).")
    except OneStopError as exc:
        ssp = None
        st.warning(str(exc))
    with st.expander("Rates onestop knows about"):
        for rate in reversed(ssp_rates(rates)):
            until = f" until {long_date(rate.applies_until)}" if rate.applies_until else ""
            st.markdown(f"- From {long_date(rate.applies_from)}{until}: {pounds(rate.weekly_rate)} a week")

    st.header("Phased return: topping wages up to the SSP level")
    st.caption(
        "The 2016 Green Paper proposed that an employer could top up phased-return wages to the SSP level. "
        "It is an option, not a legal requirement: check GOV.UK for how SSP works with part-days."
    )
    hours = st.number_input("Hours worked this week", min_value=0.0, value=10.0, step=1.0)
    wage = None
    for when in (day, dt.date.today()):  # the rate for the chosen week, else today's rate
        try:
            wage = national_living_wage_on(rates, when)
            break
        except OneStopError:
            continue
    hourly = st.number_input("Hourly pay (£)", min_value=0.0, value=float(wage.hourly_rate) if wage else 0.0, step=0.5)
    if wage:
        st.caption(
            f"Starts at the National Living Wage from {long_date(wage.applies_from)} ({wage.age_band}): "
            f"{pounds(wage.hourly_rate)} an hour. Source: [{wage.source}]({wage.source_url})."
        )
    level = st.number_input("SSP level to top up to (£ a week)", min_value=0.0, value=float(ssp.amount) if ssp else 123.25)
    top_up = phased_return_top_up(hours, hourly, level)
    left, middle, right = st.columns(3)
    left.metric("Wages", pounds(top_up.wages))
    middle.metric("Top-up", pounds(top_up.top_up))
    right.metric("Total", pounds(top_up.total))
    st.caption(f"At this hourly pay, {top_up.hours_to_reach_ssp} hours a week reach the SSP level without a top-up.")

    st.header("Access to Work: employer's share of equipment costs")
    table = rates["access_to_work_cost_share"]
    staff = st.number_input("Number of employees", min_value=0, value=60, step=1)
    cost = st.number_input("Cost of special aids or equipment (£)", min_value=0.0, value=3000.0, step=100.0)
    new_starter = st.checkbox("The employee applies within 6 weeks of starting the job")
    share = access_to_work_cost_share(rates, int(staff), cost, new_starter)
    employer = (
        pounds(share.employer_low)
        if share.employer_low == share.employer_high
        else f"{pounds(share.employer_low)} to {pounds(share.employer_high)}"
    )
    st.metric("You pay (estimate)", employer)
    st.caption(f"{share.explanation} Source: [{table['source']}]({table['source_url']}).")
