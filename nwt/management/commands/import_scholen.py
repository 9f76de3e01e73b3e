from intake.csv_import import ImportCommand
from nwt.imports import SchoolImporter


class Command(ImportCommand):
    help = "Importeert NWT-partnerscholen uit een CSV-bestand: alles of niets, met de fouten per regel."
    importer = SchoolImporter
