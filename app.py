"""rangemap dashboard (Streamlit): widgets → scenario → layers → map and downloads."""

import streamlit as st

st.set_page_config(page_title="rangemap", layout="wide")
st.title("rangemap")
st.write("Default scenario loading…")
