from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from filot import apis, health

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", apis.TokenObtainApi.as_view(), name="token-obtain"),
    path("auth/token/refresh/", apis.TokenRefreshApi.as_view(), name="token-refresh"),
    path("me/", apis.MeApi.as_view(), name="me"),
    path("documents/", include("erasure.urls")),
    path("documents/", include("documents.urls")),
    path("partners/buli2/", include("reviews.partner.urls")),
    path(
        "internal/users/<str:user_id>/kyc/",
        apis.InternalUserKycApi.as_view(),
        name="internal-user-kyc",
    ),
]

if settings.STAFF_TOTP_REQUIRED:
    # Staff must present a TOTP code from an enrolled device (`manage.py add_totp_device`).
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("health", health.health, name="health"),
    path("health/live", health.live, name="health-live"),
    path("metrics", health.metrics, name="metrics"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from ?script, so the page needs no inline
    # script under the Content-Security-Policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "filot.errors.bad_request_view"
handler403 = "filot.errors.permission_denied_view"
handler404 = "filot.errors.not_found_view"
handler500 = "filot.errors.server_error_view"
