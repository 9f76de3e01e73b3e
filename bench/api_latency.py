"""Load generator of bench/api_latency.sh.

`prepare FILE`: recompute the reports once, create a token with every scope, and write the token and the open
candidates to move (each one moved once, so no two requests meet on one candidate's version) to FILE.
`load FILE URL`: per endpoint, a thread pool sends requests for --seconds (or until the request budget is used)
and the p50/p95 latency, throughput and ratios to the trivial endpoint are printed.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MAX_REQUESTS = 50_000  # per endpoint, whatever the time
TRANSITION = {
    "kind": "terugtrekking",
    "reason": "trk-persoonlijk",
}  # allowed from every open step of werving, selectie or keuring


def prepare(path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defensie.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from intake import services as intake_services
    from intake.choices import ApiScope, Phase, Status
    from intake.models import Candidate
    from intake.selectors import MANAGER_GROUP
    from intake.tests.factories import UserFactory
    from reports import services

    started = time.perf_counter()
    services.report_recompute()
    print(f"report recompute: {time.perf_counter() - started:.1f} s")
    owner = UserFactory(username="bench-koppeling")
    owner.groups.add(Group.objects.get(name=MANAGER_GROUP))
    _token, key = intake_services.api_token_create(owner=owner, scopes=list(ApiScope), created_by=None, name="bench")
    candidates = list(
        Candidate.objects.filter(status=Status.LOPEND, phase__in=[Phase.WERVING, Phase.SELECTIE, Phase.KEURING])
        .order_by("id")
        .values_list("id", "version")[:MAX_REQUESTS]
    )
    path.write_text(json.dumps({"token": key, "candidates": candidates}))


class Client(threading.local):
    """One keep-alive connection per thread, as a system's HTTP client would hold."""

    def __init__(self, base: str):
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.connection = None

    def request(self, method: str, path: str, headers: dict, body: bytes | None = None) -> int:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.netloc, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                response.read()
                return response.status
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def run(name, make_request, *, seconds: float, concurrency: int, budget: int):
    """Calls make_request(n) from `concurrency` threads until the time or the budget is used up."""
    counter = itertools.count()
    deadline = time.monotonic() + seconds
    latencies, failures = [], []
    lock = threading.Lock()

    def worker():
        mine, bad = [], []
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= budget:
                break
            started = time.perf_counter()
            status = make_request(n)
            mine.append(time.perf_counter() - started)
            if status >= 300:
                bad.append(status)
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "name": name,
        "requests": len(latencies),
        "errors": len(failures),
        "statuses": sorted(set(failures)),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "throughput": len(latencies) / elapsed,
    }


def load(args) -> None:
    targets = json.loads(Path(args.targets).read_text())
    client = Client(args.url)
    auth = {"Authorization": f"Bearer {targets['token']}"}
    json_headers = {**auth, "Content-Type": "application/json"}
    candidates = targets["candidates"]
    for _ in range(100):  # wait for gunicorn
        try:
            client.request("GET", "/api/v1/branches/KL", auth)
            break
        except OSError:
            time.sleep(0.2)

    def transition(n):
        candidate_id, version = candidates[n]
        body = json.dumps({**TRANSITION, "version": version}).encode()
        return client.request("POST", f"/api/v1/candidates/{candidate_id}/transitions", json_headers, body)

    common = {"seconds": args.seconds, "concurrency": args.concurrency}
    results = [
        run(
            "GET branches/KL (trivial)",
            lambda n: client.request("GET", "/api/v1/branches/KL", auth),
            **common,
            budget=MAX_REQUESTS,
        ),
        run(
            "GET reports/retention",
            lambda n: client.request("GET", "/api/v1/reports/retention?track=dienjaar", auth),
            **common,
            budget=MAX_REQUESTS,
        ),
        run("POST candidates/{id}/transitions", transition, **common, budget=len(candidates)),
    ]
    baseline = results[0]
    print()
    print(
        f"{datetime.date.today()}: {args.candidates:,} demo candidates, gunicorn {args.workers} workers, "
        f"{args.concurrency} concurrent clients, {args.seconds:g} s per endpoint, loopback"
    )
    print(
        f"{'endpoint':<36}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}"
        f"{'p50 ratio':>10}{'p95 ratio':>10}"
    )
    for r in results:
        print(
            f"{r['name']:<36}{r['requests']:>9}{r['errors']:>7}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['throughput']:>9.0f}{r['p50'] / baseline['p50']:>10.1f}{r['p95'] / baseline['p95']:>10.1f}"
        )
        if r["errors"]:
            print(f"  non-2xx statuses: {r['statuses']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare").add_argument("targets")
    loading = commands.add_parser("load")
    loading.add_argument("targets")
    loading.add_argument("url")
    loading.add_argument("--seconds", type=float, default=20)
    loading.add_argument("--concurrency", type=int, default=8)
    loading.add_argument("--candidates", type=int, default=0)
    loading.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(Path(args.targets))
    else:
        load(args)


if __name__ == "__main__":
    main()
