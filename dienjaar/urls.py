from django.urls import path

from . import views

app_name = "dienjaar"
urlpatterns = [
    path("aanmelden/", views.register, name="register"),
    path("deelnemers/<int:pk>/", views.DeelnemerPage.as_view(), name="deelnemer"),
]
