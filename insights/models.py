"""No tables: one unmanaged model that carries the staff pages' permission and their place in
the admin index (``insights.view_decisionquality``; superusers have it)."""

from __future__ import annotations

from django.db import models


class DecisionQuality(models.Model):
    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = "what-if, accuracy and QA"
        verbose_name_plural = "what-if, accuracy and QA"

    def __str__(self) -> str:
        return "decision quality"
