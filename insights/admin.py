"""The decision-quality pages in the admin: listed in its index as "Decision quality", their
URLs under ``/admin/insights/decisionquality/``."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from insights import views
from insights.models import DecisionQuality
from reviews.admin import ReadOnlyAdmin


@admin.register(DecisionQuality)
class DecisionQualityAdmin(ReadOnlyAdmin):
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:insights_decisionquality_whatif"))

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        name = "insights_decisionquality"
        custom: list[URLPattern] = [
            path(
                "what-if/",
                wrap(partial(views.whatif, admin_site=self.admin_site)),
                name=f"{name}_whatif",
            ),
            path(
                "quality/",
                wrap(partial(views.quality, admin_site=self.admin_site)),
                name=f"{name}_quality",
            ),
            path("export.csv", wrap(views.export), name=f"{name}_export"),
        ]
        return custom + super().get_urls()
