from django.urls import path

from . import privacy_views, views

app_name = "intake"

urlpatterns = [
    path("kandidaten/", views.candidate_list, name="candidate_list"),
    path("kandidaten/bord/", views.board, name="board"),
    path("kandidaten/export.csv", views.candidate_export, name="candidate_export"),
    path("kandidaten/nieuw/", views.candidate_create, name="candidate_create"),
    path("kandidaten/bulk/", views.candidate_bulk, name="candidate_bulk"),
    path("kandidaten/importeren/", views.candidate_import, name="candidate_import"),
    path("kandidaten/importeren/bevestigen/", views.candidate_import_confirm, name="candidate_import_confirm"),
    path("kandidaten/importeren/sjabloon.csv", views.import_template, name="import_template"),
    path("kandidaten/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("kandidaten/<int:pk>/wijzigen/", views.candidate_edit, name="candidate_edit"),
    path("kandidaten/<int:pk>/overgangen/", views.candidate_transitions, name="candidate_transitions"),
    path("kandidaten/<int:pk>/overgang/", views.candidate_transition, name="candidate_transition"),
    path("kandidaten/<int:pk>/notities/", views.candidate_note, name="candidate_note"),
    path("kandidaten/<int:pk>/inzage/", privacy_views.data_export, name="candidate_data_export"),
    path("kandidaten/<int:pk>/wissen/", privacy_views.erase, name="candidate_erase"),
    path("kandidaten/<int:pk>/toestemming/", privacy_views.consent, name="candidate_consent"),
]
