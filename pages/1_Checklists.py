"""Streamlit page: tailored checklists."""

import streamlit as st

from onestop.config import Settings
from onestop.ui.checklist_page import render_checklist_page

st.set_page_config(page_title="onestop: checklists", page_icon="📘")
render_checklist_page(Settings.from_env())
