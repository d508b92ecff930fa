"""The frontline history as a chart: occupied area (and the Kursk salient) over time.

Takes the table of :func:`geo.frontline.history.table` and draws it with matplotlib's
object-oriented API (no pyplot state, safe in a server); :func:`to_png` returns the bytes.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

__all__ = ["history_figure", "to_png"]

_OCCUPIED = "#a52714"
_KURSK = "#01579b"


def history_figure(table: pd.DataFrame, *, title: str = "", mark: str | None = None) -> Figure:
    """Return a figure of occupied area and the Ukrainian-held part of Russia over time.

    Parameters
    ----------
    table
        Rows with ``date``, ``occupied_km2`` and ``ukrainian_held_in_russia_km2``.
    title
        Figure title (plain text).
    mark
        An ISO date to mark with a vertical line (the snapshot on the map).

    Returns
    -------
    matplotlib.figure.Figure
        Two stacked panels sharing the date axis (thousand km² above, km² below).
    """
    fig = Figure(figsize=(8, 5), dpi=110)
    FigureCanvasAgg(fig)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1.3))
    dates = pd.to_datetime(table["date"])
    top.plot(dates, table["occupied_km2"] / 1000, "o-", color=_OCCUPIED, ms=4)
    top.set_ylabel("occupied Ukraine\n(thousand km²)")
    bottom.plot(dates, table["ukrainian_held_in_russia_km2"], "o-", color=_KURSK, ms=4)
    bottom.set_ylabel("Ukrainian-held\nin Russia (km²)")
    locator = AutoDateLocator()
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    for ax in (top, bottom):
        if mark:
            ax.axvline(pd.Timestamp(mark), color="#555555", lw=1, ls="--")
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    top.set_title(title or f"Frontline history: {len(table)} snapshots", loc="left")
    fig.text(0.01, 0.005, _sources(table), fontsize=6, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def to_png(table: pd.DataFrame, *, title: str = "") -> bytes:
    """Return the history chart as PNG bytes."""
    buffer = io.BytesIO()
    history_figure(table, title=title).savefig(buffer, format="png")
    return buffer.getvalue()


def _sources(table: pd.DataFrame) -> str:
    """Return a one-line attribution for the sources in the table."""
    sources = set(table.get("source", pd.Series(dtype=str)).astype(str))
    parts = []
    if any("DeepStateMap" in s for s in sources):
        parts.append("© DeepStateMap (deepstatemap.live)")
    if any("rangemap facts" in s for s in sources):
        parts.append("rangemap bundled snapshots (approximate, cited facts)")
    return "Sources: " + "; ".join(parts) if parts else ""
