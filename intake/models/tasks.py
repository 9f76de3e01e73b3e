from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A task that could not be handed to the broker (Redis down) after its transaction committed. The change
    itself is saved; `dispatch_pending_tasks` sends these as soon as the broker is back."""

    task_name = models.CharField(_("taak"), max_length=200)
    args = models.JSONField(_("argumenten"), default=list)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    last_error = models.CharField(_("laatste fout"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("wachtende taak")
        verbose_name_plural = _("wachtende taken")
        ordering = ["id"]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class DeadLetter(models.Model):
    """A task that kept failing after all its retries; kept for a beheerder to inspect instead of looping."""

    task_name = models.CharField(_("taak"), max_length=200)
    task_id = models.CharField(_("taak-id"), max_length=64)
    args = models.JSONField(_("argumenten"), default=list)
    kwargs = models.JSONField(_("benoemde argumenten"), default=dict)
    error = models.TextField(_("fout"))
    retries = models.PositiveIntegerField(_("pogingen"), default=0)
    failed_at = models.DateTimeField(_("mislukt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("mislukte taak")
        verbose_name_plural = _("mislukte taken")
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.task_name} {self.task_id}"
