"""Charts for the decision-quality pages and commands, drawn with matplotlib's Agg canvas.

Figures are built with the object API (``matplotlib.figure.Figure``), never pyplot: no global
state is shared between requests or threads, and no display is needed. matplotlib is imported
when a chart is drawn, not with this module: the admin imports the pages' views in every web and
worker process, and most of them never draw a chart (it costs tens of megabytes each).
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

from insights.whatif import FINAL_ORDER, Simulation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Colour-blind-safe (Okabe-Ito), in the order of FINAL_ORDER.
FINAL_COLOURS = {
    "auto-approved": "#009E73",
    "approved by a reviewer": "#56B4E9",
    "waiting for review": "#F0E442",
    "rejected by a reviewer": "#E69F00",
    "auto-rejected": "#D55E00",
    "other": "#999999",
}
BIN = 5


def new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height))


def png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def data_uri(image: bytes) -> str:
    """An image for an ``<img src>`` (the console's CSP allows ``data:`` images)."""
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def score_distribution(simulation: Simulation) -> bytes:
    """Documents per score bin, stacked by final outcome, with both threshold pairs marked."""
    figure = new_figure(9, 4.2)
    axes = figure.add_subplot()
    edges = list(range(0, 100, BIN))  # a score of 100 joins the top bin
    bottom = [0] * len(edges)
    for group in FINAL_ORDER:
        counts: dict[int, int] = simulation.scores.get(group) or {}
        heights = [0] * len(edges)
        for score, n in counts.items():
            heights[min(int(score) // BIN, len(edges) - 1)] += n
        if not any(heights):
            continue
        axes.bar(
            edges,
            heights,
            width=BIN * 0.9,
            bottom=bottom,
            align="edge",
            color=FINAL_COLOURS[group],
            edgecolor="#333333",
            linewidth=0.3,
            label=group,
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    top = max(bottom) if any(bottom) else 1
    marks = (
        (simulation.current, "-", "current"),
        (simulation.proposed, "--", "proposed"),
    )
    for thresholds, style, name in marks:
        # reject <= r: the line sits at the bin edge just above r; approve >= a: at a.
        for x, what in ((thresholds.reject_at + 1, "reject"), (thresholds.approve_at, "approve")):
            axes.axvline(x, color="#000000", linestyle=style, linewidth=1.4)
            axes.annotate(
                f"{name} {what}",
                (x, top),
                xytext=(3, -4 if name == "current" else -16),
                textcoords="offset points",
                fontsize=8,
                va="top",
            )
    axes.set_xlim(0, 100)
    axes.set_ylim(0, top * 1.2)  # room for the threshold labels
    axes.set_xlabel("score (today's rules)")
    axes.set_ylabel("documents")
    axes.set_title(
        f"Score by final outcome: {simulation.documents} documents; current "
        f"{simulation.current.reject_at}/{simulation.current.approve_at} (solid), proposed "
        f"{simulation.proposed.reject_at}/{simulation.proposed.approve_at} (dashed)",
        fontsize=10,
    )
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3)
    return png(figure)


def correction_trend(weekly: dict[str, Any], *, top: int = 6) -> bytes:
    """Weekly correction rate of the most corrected fields, one line per card type and field."""
    figure = new_figure(9, 3.8)
    axes = figure.add_subplot()
    weeks = [monday.strftime("%d %b") for monday in weekly["weeks"]]
    ranked = sorted(
        weekly["series"].items(),
        key=lambda item: -sum(v for v in item[1] if v is not None),
    )[:top]
    positions = list(range(len(weeks)))
    for (doc_type, name), values in ranked:
        axes.plot(
            positions,
            [float("nan") if v is None else 100 * v for v in values],
            marker="o",
            linewidth=1.5,
            label=f"{doc_type} {name}",
        )
    axes.set_ylabel("reviewed documents corrected (%)")
    axes.set_xlabel("week starting")
    axes.set_ylim(bottom=0)
    axes.set_title("Fields reviewers correct most, by week", fontsize=10)
    if ranked:
        axes.legend(fontsize=8, loc="upper left")
    else:
        axes.text(0.5, 0.5, "no corrections yet", ha="center", transform=axes.transAxes)
    axes.set_xticks(positions)
    axes.set_xticklabels(weeks, fontsize=8)
    axes.set_xlim(-0.5, len(weeks) - 0.5)  # every week, also those nobody reviewed in
    return png(figure)
