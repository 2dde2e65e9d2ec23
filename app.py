"""onestop's Streamlit app: `streamlit run app.py`. Navigation and page calls only."""

import streamlit as st

from onestop.config import Settings
from onestop.ui.ask import render_ask_page

st.set_page_config(page_title="onestop: employer guidance", page_icon=":material/menu_book:", layout="centered")


def ask() -> None:
    """The Ask page (the default)."""
    render_ask_page(Settings.from_env())


navigation = st.navigation(
    [
        st.Page(ask, title="Ask a question", icon=":material/chat:", default=True),
        st.Page("views/checklists.py", title="Checklists", icon=":material/checklist:"),
        st.Page("views/calculators.py", title="Calculators", icon=":material/calculate:"),
    ]
)
navigation.run()
