from django.urls import path

from api import accounts, apis

# Mounted at /api/v1/ (filot/urls.py). "documents/<id>/" (read and erase) is routed by the
# erasure app.
urlpatterns = [
    path("me/", accounts.MeApi.as_view(), name="me"),
    path("documents/", apis.DocumentListCreateApi.as_view(), name="document-list"),
    path("documents/<str:document_id>/file/", apis.DocumentFileApi.as_view(), name="document-file"),
    path(
        "documents/<str:document_id>/reprocess/",
        apis.DocumentReprocessApi.as_view(),
        name="document-reprocess",
    ),
    path(
        "internal/users/<str:user_id>/kyc/",
        accounts.InternalUserKycApi.as_view(),
        name="internal-user-kyc",
    ),
]
