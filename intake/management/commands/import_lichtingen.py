from intake.csv_import import ImportCommand
from intake.lichtingen.imports import LichtingImporter


class Command(ImportCommand):
    help = "Importeert lichtingen uit een CSV-bestand: alles of niets, met de fouten per regel."
    importer = LichtingImporter
