"""Account pages: optional two-factor sign-in (TOTP) for managers and beheerders."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import user_sees_all_tracks


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Username and password, plus the authenticator code for users who switched two-factor sign-in on."""

    otp_token = forms.CharField(
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": gettext_lazy("Vul de code uit uw authenticator-app in."),
        "invalid_token": gettext_lazy("Deze code klopt niet of is verlopen. Probeer de volgende code."),
        "n_failed_attempts": gettext_lazy("Te veel verkeerde codes; wacht even en probeer opnieuw."),
        "verification_not_allowed": gettext_lazy("Te veel verkeerde codes; wacht even en probeer opnieuw."),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and self._totp_device(user) is not None:
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        return self._totp_device(user)

    @staticmethod
    def _totp_device(user):
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class ConfirmTokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code uit de authenticator-app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request):
    if not user_sees_all_tracks(request.user):
        raise PermissionDenied
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    if request.method == "POST" and request.POST.get("action") == "disable" and confirmed:
        TOTPDevice.objects.filter(user=request.user).delete()
        messages.success(request, _("Tweestapsverificatie staat uit."))
        return redirect("two_factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = ConfirmTokenForm(request.POST or None)
    if not confirmed and request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Tweestapsverificatie staat aan. Voortaan vraagt het inloggen om een code."))
            return redirect("two_factor")
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw."))
    return render(
        request,
        "account/two_factor.html",
        {
            "confirmed": confirmed,
            "form": form,
            "qr": None if confirmed else _qr_data_uri(device.config_url),
            "secret": None if confirmed else base64.b32encode(device.bin_key).decode(),
        },
    )
