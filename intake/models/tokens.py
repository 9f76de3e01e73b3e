import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ApiScope

KEY_PREFIX = "instroom_"
# Shown in the admin so people can tell tokens apart without the secret: the fixed prefix plus 6 characters.
DISPLAY_PREFIX_LENGTH = len(KEY_PREFIX) + 6


class ApiToken(models.Model):
    """A credential with which another system (HR administration, planning, BI) calls the API.

    Only a SHA-256 hash of the key is stored: the key is 256 random bits, so a plain hash cannot be reversed
    by guessing, and a copy of the database holds no working key. The plain key is shown once, when an
    administrator creates the token. The token acts as its owner: a token of a recruiter sees only the
    candidates the recruiter sees. It is never edited; to change scopes, create a new one and revoke the old."""

    name = models.CharField(
        _("omschrijving"),
        max_length=100,
        help_text=_("Welk systeem dit token gebruikt, bijvoorbeeld 'HR-administratie'."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("eigenaar")
    )
    scopes = models.JSONField(_("scopes"), default=list)
    key_prefix = models.CharField(_("begint met"), max_length=DISPLAY_PREFIX_LENGTH, editable=False)
    # The lookup on every API call goes through this unique index.
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("aangemaakt door"),
    )
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("ingetrokken door"),
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def new_key() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def clean(self):
        if not isinstance(self.scopes, list) or not self.scopes:
            raise ValidationError({"scopes": _("Kies ten minste één scope.")})
        unknown = set(self.scopes) - set(ApiScope.values)
        if unknown:
            raise ValidationError({"scopes": _("Onbekende scope: %s.") % ", ".join(sorted(unknown))})
