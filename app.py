"""onestop's Streamlit app: `streamlit run app.py`. Pages and widgets only."""

import streamlit as st

from onestop.config import Settings
from onestop.ui.ask import render_ask_page

st.set_page_config(page_title="onestop: employer guidance", page_icon="📘", layout="centered")
render_ask_page(Settings.from_env())
