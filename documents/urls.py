from django.urls import path

from documents import apis

urlpatterns = [
    path("", apis.DocumentListCreateApi.as_view(), name="document-list"),
    # "<id>/" (read and erase) is routed by the erasure app (filot/urls.py).
    path("<str:document_id>/file/", apis.DocumentFileApi.as_view(), name="document-file"),
    path(
        "<str:document_id>/reprocess/",
        apis.DocumentReprocessApi.as_view(),
        name="document-reprocess",
    ),
]
