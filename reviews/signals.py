"""Signals sent inside the transaction that makes the change, so a receiver that writes to the
database (the partner outbox) commits or rolls back together with it.

- ``document_decided(document, decision, source, reason_codes, review)``: a document reached a
  decision: ``auto_approved``/``auto_rejected`` by verification, or ``approved``/``rejected``
  by a reviewer (``source`` ``console``) or by the partner (``source`` ``partner``).
- ``review_opened(review)``: a case needs a human (sent when verification opens a review).
"""

from __future__ import annotations

from django.dispatch import Signal

document_decided = Signal()
review_opened = Signal()
