"""Streamlit page: calculators."""

from onestop.config import Settings
from onestop.ui.calculator_page import render_calculator_page

render_calculator_page(Settings.from_env())
