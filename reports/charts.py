"""Charts for the annual report as inline SVG, drawn with matplotlib (no pyplot, no global state, no files).

Text stays text (`svg.fonttype: none`), so the numbers and names in a chart can be read and found in the
page, and the page's own font draws them; nothing is fetched. A fixed hash salt keeps the SVG ids the
same from run to run.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Sequence
from typing import Any

import matplotlib
from cycler import cycler
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

logger = logging.getLogger(__name__)

COLOURS = ("#1f5fa8", "#e07b24", "#2e9d5b", "#c4362f", "#7a4fb0", "#8c6239", "#d45fa6", "#6b6b6b", "#a8a82a", "#21a0b0")
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "rkk-rapport",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(linestyle=["-", "--"]) * cycler(color=COLOURS),  # 20 lines, none alike
}
WIDTH_INCHES = 9.0
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)  # the XML declaration and DOCTYPE: not for inline SVG


def line_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], y_label: str) -> str:
    """One line per series over the labels (months or weeks), with a legend beside the plot."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, 3.6 if len(series) <= 10 else 4.8))
        axes = figure.add_subplot()
        for name, values in series:
            axes.plot(range(len(labels)), list(values), marker="o", markersize=3, linewidth=1.6, label=name)
        slanted = sum(len(label) for label in labels) > 60  # labels that would run into each other
        axes.set_xticks(
            range(len(labels)), list(labels), rotation=40 if slanted else 0, ha="right" if slanted else "center"
        )
        axes.set_ylabel(y_label)
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        columns = 1 if len(series) <= 12 else 2
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, ncols=columns)
        figure.tight_layout()
        return _svg(figure)


def bar_chart(labels: Sequence[str], values: Sequence[int], x_label: str) -> str:
    """Horizontal bars, the first label on top, each with its value written at its end."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH_INCHES, max(1.6, 0.32 * len(labels) + 0.8)))
        axes = figure.add_subplot()
        positions = range(len(labels))
        bars = axes.barh(positions, list(values), color="#1f5fa8")
        axes.set_yticks(positions, [_short(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlabel(x_label)
        axes.bar_label(bars, padding=3, fontsize=8)
        axes.margins(x=0.08)
        figure.tight_layout()
        return _svg(figure)


def _short(label: str, limit: int = 60) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure)  # attaches the SVG canvas; savefig then writes through it
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _PROLOGUE.sub("", buffer.getvalue(), count=1).strip()
