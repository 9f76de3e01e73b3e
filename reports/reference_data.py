"""The published plan figures shipped in `reports/reference/` as the project's own reference data: loaded by a
migration, and again by tests whose database was flushed. Managers maintain them in the admin afterwards."""

import csv
from pathlib import Path

from django.apps import apps as global_apps

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
# Civilians are hired outside the intake chain, so their plan figures have no realisation to compare with.
MILITARY_CATEGORIES = {"beroepsmilitair", "reservist"}


def plan_figures() -> list[dict]:
    """Each published intake target as the fields of a PlanFigure (track by code)."""
    figures = []
    with open(REFERENCE_DIR / "realisatie_personeel.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["soort"] == "instroom" and row["plancijfer_vte"] and row["categorie"] in MILITARY_CATEGORIES:
                figures.append(
                    {
                        "year": int(row["jaar"]),
                        "personnel_category": row["categorie"],
                        "track": None,
                        "target": int(row["plancijfer_vte"]),
                        "published_realised": int(row["realisatie_vte"]) if row["realisatie_vte"] else None,
                        "source": row["bron"],
                    }
                )
    with open(REFERENCE_DIR / "dienmodel_realisatie.csv", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["doel"]:
                figures.append(
                    {
                        "year": int(row["jaar"]),
                        "personnel_category": "",
                        "track": row["instroomspoor"],
                        "target": int(row["doel"]),
                        "published_realised": int(row["realisatie"]) if row["realisatie"] else None,
                        "source": row["bron"],
                    }
                )
    return figures


def load(apps=global_apps):
    """Adds the published figures that are missing; a figure a manager changed is left as it is."""
    PlanFigure = apps.get_model("reports", "PlanFigure")
    Instroomspoor = apps.get_model("intake", "Instroomspoor")
    tracks = {t.code: t for t in Instroomspoor.objects.all()}
    for figure in plan_figures():
        track = tracks.get(figure.pop("track") or "")
        PlanFigure.objects.get_or_create(
            year=figure["year"],
            personnel_category=figure["personnel_category"],
            instroomspoor=track,
            krijgsmachtdeel=None,
            defaults={k: figure[k] for k in ("target", "published_realised", "source")},
        )
