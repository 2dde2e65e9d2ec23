"""Streamlit user interface: widgets and layout only; all logic lives in the library."""
