"""Pure computation for rangemap: text → places → geometry (no folium, Streamlit, matplotlib)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
