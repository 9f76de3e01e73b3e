from django.db import models


class TrackData(models.Model):
    """Base of the data a track keeps next to a candidate, one row per candidate: written only by the track's
    services (through `intake.track_data`), with a version that detects a stale edit."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
