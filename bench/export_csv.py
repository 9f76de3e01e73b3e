"""Streams the candidate export as a manager (every candidate) and prints rows, time and peak RSS (see
export_csv.sh). The response is consumed chunk by chunk, as a WSGI server sends it, and then thrown away."""

import resource
import time

import django_setup  # noqa: F401  (first: sets Django up)
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="manager"))
    before = peak_mb()
    started = time.perf_counter()
    response = client.get(reverse("intake:candidate_export"), secure=True)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - started
    print(f"{'rows (without header)':<32}{lines - 1:>12,}")
    print(f"{'megabytes sent':<32}{size / 1e6:>12.1f}")
    print(f"{'seconds':<32}{elapsed:>12.1f}")
    print(f"{'peak RSS before (MB)':<32}{before:>12.0f}")
    print(f"{'peak RSS (MB, target < 300)':<32}{peak_mb():>12.0f}")


if __name__ == "__main__":
    main()
