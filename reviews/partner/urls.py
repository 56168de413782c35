from django.urls import path

from reviews.partner import apis

app_name = "partner"

urlpatterns = [
    path("callbacks/", apis.CallbackApi.as_view(), name="buli2-callbacks"),
]
