from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .candidates import Candidate


class CandidateNote(models.Model):
    """A recruiter's free-text note on a candidate (a phone call, an agreement). Notes are added, never edited,
    so the page shows who wrote what and when. Examination findings never belong here: only verdicts are kept."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("notitie"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("door")
    )
    created_at = models.DateTimeField(_("geschreven op"), auto_now_add=True)

    class Meta:
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")
        # The candidate page lists a candidate's notes newest first.
        indexes = [models.Index(fields=["candidate", "-created_at"], name="candidate_note_idx")]

    def __str__(self):
        return f"{self.candidate_id} {self.created_at:%Y-%m-%d}"
