from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("herberekenen/", views.recompute, name="recompute"),
    path("voortgang/", views.progress, name="progress"),
    path("export/<slug:key>.<str:fmt>", views.export, name="export"),
]
