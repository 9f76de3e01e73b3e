"""Sets Django up for a bench script run from the repository (bench/*.sh): imported first by each of them."""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defensie.settings")
django.setup()

from django.conf import settings  # noqa: E402

# The pages are rendered without `collectstatic` having run: plain static URLs instead of the manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
