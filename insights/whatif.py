"""Threshold what-if: replay the stored results at other thresholds.

Each document's latest verification result keeps every check's verdict. The replay gives
those verdicts to ``verification.scoring.decide`` (today's weights, caps and rules: duplicates,
quality failures and NIK inconsistencies first, the never-approve checks and the
``identity_verified`` gate after the score), once at the current thresholds and once at the
proposed ones, and counts how documents move between auto-approve, review and auto-reject.

For documents a person decided (a decision case, or a blind QA case of an automatic decision),
it also counts how often an automatic decision at the thresholds would have disagreed:

- false approvals: of the human-decided documents the thresholds would auto-approve, those the
  person did not approve (rejected, or asked for a new upload);
- false rejections: of those the thresholds would auto-reject, those the person approved;

each with its Wilson 95 % interval and sample size. Humans mostly see the documents between
the thresholds; blind QA cases (``reviews.qa``) are what make the estimate reach the documents
decided automatically today.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.conf import settings

from documents.status import DocumentStatus
from filot.errors import FilotError
from filot.stats import Proportion, wilson
from reviews.qa import human_decisions
from verification.checks import Check
from verification.models import VerificationResult
from verification.scoring import AUTO_APPROVED, AUTO_REJECTED, IN_REVIEW, WEIGHTS, decide

OUTCOMES = (AUTO_APPROVED, IN_REVIEW, AUTO_REJECTED)
OUTCOME_LABELS = {
    AUTO_APPROVED: "auto-approved",
    IN_REVIEW: "manual review",
    AUTO_REJECTED: "auto-rejected",
}
# The final outcome a document has now, for the score chart.
FINAL_GROUPS: dict[str, str] = {
    DocumentStatus.AUTO_APPROVED: "auto-approved",
    DocumentStatus.APPROVED: "approved by a reviewer",
    DocumentStatus.IN_REVIEW: "waiting for review",
    DocumentStatus.REJECTED: "rejected by a reviewer",
    DocumentStatus.AUTO_REJECTED: "auto-rejected",
}
FINAL_ORDER = (*FINAL_GROUPS.values(), "other")
# A rule that decides whatever the thresholds are (scoring's precedence, rules 1-4 and 6).
FORCED_RULES = frozenset(
    {"duplicate", "image_quality", "wrong_document_type", "nik_inconsistent", "never_auto_approve"}
)


class InvalidThresholds(FilotError):
    default_code = "invalid_thresholds"
    default_detail = "Thresholds must satisfy 0 <= reject < approve <= 100."


@dataclass(frozen=True)
class Thresholds:
    approve_at: int
    reject_at: int

    def __post_init__(self) -> None:
        if not 0 <= self.reject_at < self.approve_at <= 100:
            raise InvalidThresholds(
                f"Thresholds must satisfy 0 <= reject < approve <= 100 (got approve "
                f"{self.approve_at}, reject {self.reject_at}).",
                details={"approve": self.approve_at, "reject": self.reject_at},
            )

    @classmethod
    def current(cls) -> Thresholds:
        return cls(
            approve_at=settings.AI_SCORE_THRESHOLD_AUTO_APPROVE,
            reject_at=settings.AI_SCORE_THRESHOLD_AUTO_REJECT,
        )

    def __str__(self) -> str:
        return f"approve >= {self.approve_at}, reject <= {self.reject_at}"


def stored_checks(rows: Iterable[dict[str, Any]]) -> list[Check]:
    """The stored verdicts as ``Check``s, weighted by today's ``scoring.WEIGHTS``."""
    checks = []
    for row in rows:
        check = Check.from_dict(row)
        checks.append(replace(check, weight=WEIGHTS.get(check.code, check.weight)))
    return checks


@dataclass(frozen=True)
class Record:
    """One document's latest result, as the replay needs it."""

    result_id: Any
    doc_type: str
    status: str  # the document's status now
    checks: list[dict[str, Any]]
    stored_decision: str
    stored: Thresholds
    human: str | None = None  # approved | rejected | resubmission | None


@dataclass
class HumanCheck:
    """How automatic decisions at some thresholds compare with the people's."""

    labelled: int = 0
    to_review: int = 0
    false_approvals: Proportion = field(default_factory=lambda: wilson(0, 0))
    false_rejections: Proportion = field(default_factory=lambda: wilson(0, 0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "labelled": self.labelled,
            "to_review": self.to_review,
            "false_approvals": self.false_approvals.to_dict(),
            "false_rejections": self.false_rejections.to_dict(),
        }


@dataclass
class Simulation:
    current: Thresholds
    proposed: Thresholds
    documents: int = 0
    moves: dict[str, Counter[str]] = field(
        default_factory=lambda: {outcome: Counter() for outcome in OUTCOMES}
    )
    forced: int = 0  # decided by a rule whatever the thresholds
    changed_since_stored: int = 0  # today's rules decide differently at the stored thresholds
    human: dict[str, HumanCheck] = field(default_factory=dict)
    # final outcome group -> score -> documents (today's score)
    scores: dict[str, Counter[int]] = field(
        default_factory=lambda: {group: Counter() for group in FINAL_ORDER}
    )

    def totals(self, which: str) -> dict[str, int]:
        if which == "current":
            return {o: sum(self.moves[o].values()) for o in OUTCOMES}
        return {o: sum(self.moves[c][o] for c in OUTCOMES) for o in OUTCOMES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "thresholds": {
                name: {"approve": t.approve_at, "reject": t.reject_at}
                for name, t in (("current", self.current), ("proposed", self.proposed))
            },
            "documents": self.documents,
            "totals": {"current": self.totals("current"), "proposed": self.totals("proposed")},
            "moves": {c: {p: self.moves[c][p] for p in OUTCOMES} for c in OUTCOMES},
            "forced": self.forced,
            "changed_since_stored": self.changed_since_stored,
            "human": {name: check.to_dict() for name, check in self.human.items()},
            "scores": {
                group: {str(s): n for s, n in sorted(c.items())}
                for group, c in self.scores.items()
                if c
            },
        }


def _human_check(pairs: list[tuple[str, str]]) -> HumanCheck:
    """``pairs`` of (automatic decision, human decision) for the human-decided documents."""
    approve = [human for auto, human in pairs if auto == AUTO_APPROVED]
    reject = [human for auto, human in pairs if auto == AUTO_REJECTED]
    return HumanCheck(
        labelled=len(pairs),
        to_review=sum(auto == IN_REVIEW for auto, _ in pairs),
        false_approvals=wilson(sum(h != "approved" for h in approve), len(approve)),
        false_rejections=wilson(sum(h == "approved" for h in reject), len(reject)),
    )


def simulate(records: Iterable[Record], *, current: Thresholds, proposed: Thresholds) -> Simulation:
    """Replay every record at ``current`` and ``proposed`` thresholds (pure: no database)."""
    simulation = Simulation(current=current, proposed=proposed)
    labelled: dict[str, list[tuple[str, str]]] = {"current": [], "proposed": []}
    for record in records:
        checks = stored_checks(record.checks)
        now = decide(checks, approve_at=current.approve_at, reject_at=current.reject_at)
        then = decide(checks, approve_at=proposed.approve_at, reject_at=proposed.reject_at)
        simulation.documents += 1
        simulation.moves[now.decision][then.decision] += 1
        if then.breakdown["rule"] in FORCED_RULES and now.breakdown["rule"] in FORCED_RULES:
            simulation.forced += 1
        at_stored = (
            now
            if record.stored == current
            else decide(
                checks, approve_at=record.stored.approve_at, reject_at=record.stored.reject_at
            )
        )
        if at_stored.decision != record.stored_decision:
            simulation.changed_since_stored += 1
        group = FINAL_GROUPS.get(record.status, "other")
        simulation.scores[group][now.score] += 1
        if record.human is not None:
            labelled["current"].append((now.decision, record.human))
            labelled["proposed"].append((then.decision, record.human))
    simulation.human = {name: _human_check(pairs) for name, pairs in labelled.items()}
    return simulation


def history(
    *,
    since: datetime | None = None,
    doc_type: str | None = None,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> Iterator[Record]:
    """Each document's latest result (optionally decided since ``since``, of one type) with
    what a person decided about it. ``progress(rows, total)`` may wrap the rows."""
    results = VerificationResult.objects.all()
    if since is not None:
        results = results.filter(created_at__gte=since)
    if doc_type:
        results = results.filter(document__doc_type=doc_type)
    humans = human_decisions()
    rows: Iterable[Any] = (
        results.order_by("document_id", "-attempt")
        .values_list(
            "pk",
            "document_id",
            "document__doc_type",
            "document__status",
            "checks",
            "decision",
            "threshold_auto_approve",
            "threshold_auto_reject",
        )
        .iterator(chunk_size=2000)
    )
    if progress is not None:
        rows = progress(rows, results.count())
    previous = None
    for pk, document_id, kind, status, checks, decision, approve_at, reject_at in rows:
        if document_id == previous:  # an earlier attempt of the same document
            continue
        previous = document_id
        yield Record(
            result_id=pk,
            doc_type=kind,
            status=status,
            checks=list(checks or []),
            stored_decision=decision,
            stored=Thresholds(approve_at=approve_at, reject_at=reject_at),
            human=humans.get(pk),
        )
