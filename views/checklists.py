"""Streamlit page: tailored checklists."""

from onestop.config import Settings
from onestop.ui.checklist_page import render_checklist_page

render_checklist_page(Settings.from_env())
