"""Pure computation for rangemap: text → places → geometry. No folium, Streamlit or matplotlib here."""

__all__ = ["__version__"]

__version__ = "0.1.0"
