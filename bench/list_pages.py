"""Prints p50/p95 response times and query counts of the recruiter pages (see list_pages.sh)."""

import random
import statistics
import time

import django_setup  # noqa: F401  (first: sets Django up)
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import Candidate

REQUESTS = 200
BOARD_REQUESTS = 20
# (who, what, URL query string) — what a recruiter and a manager do most: open the list, filter it, search a name.
# A search is timed as the browser does it: the filter form's POST, and the GET of the list it redirects to.
LISTS = [
    ("recruiter.beroeps", "list, default", ""),
    ("recruiter.beroeps", "list, phase keuring", "phase=keuring"),
    ("recruiter.beroeps", "list, page 200", "page=200"),
    ("recruiter.beroeps", "list, stalled 30 days", "stalled_days=30&status=lopend"),
    ("recruiter.beroeps", "list, search last name", "q={name}"),
    ("recruiter.beroeps", "list, search e-mail", "q={email}"),
    ("recruiter.beroeps", "list, sort by name", "sort=naam&krijgsmachtdeel=KL"),
    ("manager", "list, all tracks", ""),
    ("manager", "list, track + phase", "instroomspoor=reservist&phase=selectie"),
    ("manager", "list, search last name", "q={name}"),
]


def request(client: Client, url: str):
    path, _, query = url.partition("?")
    if "q=" in query:
        url = client.post(path, QueryDict(query), secure=True)["Location"]
    return client.get(url, secure=True)


def measure(client: Client, urls: list[str]) -> tuple[float, float, int]:
    request(client, urls[0])  # warm caches, as a running server would be
    timings, queries = [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = max(queries, len(captured))
    quantiles = statistics.quantiles(timings, n=100, method="inclusive")
    return quantiles[49], quantiles[94], queries


def main() -> None:
    rng = random.Random(8)
    users = {u.username: u for u in get_user_model().objects.filter(username__in={who for who, _, _ in LISTS})}
    beroeps = Candidate.objects.filter(instroomspoor__code="beroeps")
    # Search terms as a recruiter types them: part of a real last name or e-mail address.
    samples = list(beroeps.order_by("?").values_list("pk", "last_name", "email")[:REQUESTS])
    print(f"{'page':<44}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}")
    for who, label, query in LISTS:
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[who])
        urls = []
        for _pk, last_name, email in rng.choices(samples, k=REQUESTS):
            filled = query.format(name=last_name[:6], email=email.split("@")[0][:8])
            urls.append(f"{reverse('intake:candidate_list')}?{filled}")
        p50, p95, queries = measure(client, urls)
        print(f"{who + ': ' + label:<44}{p50:>9.1f}{p95:>9.1f}{queries:>9}")
    for who in ("recruiter.beroeps", "manager"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[who])
        urls = [reverse("intake:candidate_detail", args=[pk]) for pk, _, _ in samples]
        p50, p95, queries = measure(client, urls)
        print(f"{who + ': candidate page':<44}{p50:>9.1f}{p95:>9.1f}{queries:>9}")
    # The board is not a target of issue 8 and takes seconds a request (see bench/README.md): fewer requests.
    for who in ("recruiter.beroeps", "manager"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[who])
        p50, p95, queries = measure(client, [reverse("intake:board")] * BOARD_REQUESTS)
        print(f"{who + f': board ({BOARD_REQUESTS} requests)':<44}{p50:>9.1f}{p95:>9.1f}{queries:>9}")


if __name__ == "__main__":
    main()
