from django.urls import path

from . import views

app_name = "nwt"
urlpatterns = [
    path("scholen/", views.schools, name="schools"),
    path("deelnemers/<int:pk>/", views.DeelnemerPage.as_view(), name="deelnemer"),
]
