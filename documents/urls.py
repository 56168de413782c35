from django.urls import path

from documents import apis

urlpatterns = [
    path("", apis.DocumentListCreateApi.as_view(), name="document-list"),
    path("<str:document_id>/", apis.DocumentDetailApi.as_view(), name="document-detail"),
    path("<str:document_id>/file/", apis.DocumentFileApi.as_view(), name="document-file"),
    path(
        "<str:document_id>/reprocess/",
        apis.DocumentReprocessApi.as_view(),
        name="document-reprocess",
    ),
]
