"""Streamlit page: calculators."""

import streamlit as st

from onestop.config import Settings
from onestop.ui.calculator_page import render_calculator_page

st.set_page_config(page_title="onestop: calculators", page_icon="📘")
render_calculator_page(Settings.from_env())
