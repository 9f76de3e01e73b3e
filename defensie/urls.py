from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from intake import account_views
from intake import views as intake_views

urlpatterns = [
    # The home page keeps its plain name: settings (LOGIN_REDIRECT_URL) and every app's templates use it.
    path("", intake_views.home, name="home"),
    path("", include("intake.urls")),
    path("lichtingen/", include("intake.lichtingen.urls")),
    path("dienjaar/", include("dienjaar.urls")),
    path("nwt/", include("nwt.urls")),
    path("defensity/", include("intake.defensity.urls")),
    path("inloggen/", auth_views.LoginView.as_view(authentication_form=account_views.LoginForm), name="login"),
    path("account/tweestapsverificatie/", account_views.two_factor, name="two_factor"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
