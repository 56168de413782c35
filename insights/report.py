"""The what-if in words, for a terminal and the README."""

from __future__ import annotations

from insights.whatif import OUTCOME_LABELS, OUTCOMES, HumanCheck, Simulation


def _signed(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _human_lines(name: str, check: HumanCheck) -> list[str]:
    return [
        f"  {name}: {check.labelled} human-decided documents, {check.to_review} of them to review",
        f"    false approvals:  {check.false_approvals}",
        f"    false rejections: {check.false_rejections}",
    ]


def format_simulation(simulation: Simulation, *, scope: str = "") -> str:
    current, proposed = simulation.totals("current"), simulation.totals("proposed")
    lines = [
        f"What-if on {simulation.documents} documents (each one's latest result{scope})",
        f"current thresholds:  {simulation.current}",
        f"proposed thresholds: {simulation.proposed}",
        "",
        f"{'outcome':<16}{'current':>9}{'proposed':>10}{'change':>8}",
    ]
    for outcome in OUTCOMES:
        lines.append(
            f"{OUTCOME_LABELS[outcome]:<16}{current[outcome]:>9}{proposed[outcome]:>10}"
            f"{_signed(proposed[outcome] - current[outcome]):>8}"
        )
    lines += ["", "moves (rows: current outcome, columns: proposed outcome)"]
    lines.append(f"{'':<16}" + "".join(f"{OUTCOME_LABELS[o]:>16}" for o in OUTCOMES))
    for before in OUTCOMES:
        lines.append(
            f"{OUTCOME_LABELS[before]:<16}"
            + "".join(f"{simulation.moves[before][after]:>16}" for after in OUTCOMES)
        )
    lines += [
        "",
        f"{simulation.forced} documents are decided by a rule whatever the thresholds "
        "(duplicate, image quality, wrong type, NIK inconsistency, never-approve checks).",
    ]
    if simulation.changed_since_stored:
        lines.append(
            f"{simulation.changed_since_stored} stored decisions differ from what today's rules "
            "decide at the thresholds they were made with (the rules changed since)."
        )
    lines += [
        "",
        "against the people's decisions (rate of disagreement among the documents the "
        "thresholds would decide automatically):",
    ]
    for name in ("current", "proposed"):
        if name in simulation.human:
            lines += _human_lines(name, simulation.human[name])
    return "\n".join(lines)
