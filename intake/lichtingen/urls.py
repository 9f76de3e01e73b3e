from django.urls import path

from . import views

app_name = "lichtingen"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("plaatsen/<int:candidate_pk>/", views.place, name="place"),
]
