from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from intake import account_views
from intake import views as intake_views

urlpatterns = [
    # The home page keeps its plain name: settings (LOGIN_REDIRECT_URL) and every app's templates use it.
    path("", intake_views.home, name="home"),
    path("", include("intake.urls")),
    path("rapportages/", include("reports.urls")),
    path("lichtingen/", include("intake.lichtingen.urls")),
    path("dienjaar/", include("dienjaar.urls")),
    path("nwt/", include("nwt.urls")),
    path("defensity/", include("intake.defensity.urls")),
    path("inloggen/", auth_views.LoginView.as_view(authentication_form=account_views.LoginForm), name="login"),
    path("account/tweestapsverificatie/", account_views.two_factor, name="two_factor"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("defensie.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script, so it works under a CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
]

handler404 = "defensie.views.page_not_found"
handler500 = "defensie.views.server_error"
