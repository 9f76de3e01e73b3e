from django.urls import path

from . import docs, views

urlpatterns = [
    path(f"reports/{name}", views.report_view(name).as_view(), name=f"report-{name}") for name in docs.ENDPOINTS
]
