"""Test data for reviews (factory_boy)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from reviews.models import ManualReview
from verification.tests.factories import VerificationResultFactory


class ManualReviewFactory(DjangoModelFactory[ManualReview]):
    """An open case on a verification result (and its document)."""

    class Meta:
        model = ManualReview

    verification_result = factory.SubFactory(VerificationResultFactory)
    document = factory.SelfAttribute("verification_result.document")
