"""The API under /api/v1/. Each app adds its endpoints here with its own `api/urls.py`, without trailing
slashes: reports under `reports/…` (reports app), schools under `schools` (NWT app). intake never imports them."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("intake.api.urls")),
    path("", include("nwt.api.urls")),
]
