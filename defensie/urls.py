from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("intake.urls")),
    path("lichtingen/", include("intake.lichtingen.urls")),
    path("dienjaar/", include("dienjaar.urls")),
    path("nwt/", include("nwt.urls")),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
