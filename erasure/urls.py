from django.urls import path

from erasure import apis

urlpatterns = [
    path("<str:document_id>/", apis.DocumentDetailEraseApi.as_view(), name="document-detail"),
]
