from django.urls import path

from . import views

app_name = "defensity"
urlpatterns = [
    path("studenten/<int:pk>/", views.StudentPage.as_view(), name="student"),
]
