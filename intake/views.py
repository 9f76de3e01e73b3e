from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    return render(request, "intake/home.html", {"tally": selectors.phase_tally()})
