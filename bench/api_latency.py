"""Load generator of bench/api_latency.sh.

`prepare FILE`: create a token with every scope for a manager, and write the token, the open candidates to move
(each one moved once, so no two requests meet on one candidate's version) and what is needed to undo the moves to
FILE. `load FILE URL`: per endpoint, a thread pool sends requests for --seconds (or until the request budget is
used) and the p50/p95 latency, throughput and ratios to the trivial endpoint are printed. `restore FILE`: undo the
transitions of the run (their events, audit rows and the candidates' state) and drop the token, so the persistent
bench database is the same for the next run.
"""

import argparse
import datetime
import http.client
import itertools
import json
import os
import statistics
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MAX_REQUESTS = 50_000  # per endpoint and pass, whatever the time
TRANSITION = {
    "kind": "terugtrekking",
    "reason": "trk-persoonlijk",
}  # allowed from every open step of werving, selectie or keuring
# Every report endpoint, each with the filter combinations a client cycles through (the first is the default).
REPORT_QUERIES = ["", "?track=beroeps", "?track=dienjaar&granularity=quarter", "?branch=KL&year=2025"]
REPORTS = ["funnel", "lead-times", "drop-out", "plan-realisation", "retention", "forecast"]
RESTORED_FIELDS = ["phase", "step", "status", "step_since", "version", "updated_at"]


def _django():
    import django_setup  # noqa: F401  (bench/ is on sys.path when run as a script)


def prepare(path: Path) -> None:
    _django()
    from django.contrib.auth.models import Group

    from intake import services as intake_services
    from intake.choices import ApiScope, Phase, Status
    from intake.models import AuditEntry, Candidate, StatusEvent
    from intake.selectors import MANAGER_GROUP
    from intake.tests.factories import UserFactory
    from reports.selectors import last_successful_run

    if last_successful_run() is None:
        raise SystemExit("No report snapshots: run `manage.py recompute_reports` first.")
    owner = UserFactory(username=f"bench-koppeling-{time.time_ns()}")
    owner.groups.add(Group.objects.get(name=MANAGER_GROUP))
    token, key = intake_services.api_token_create(owner=owner, scopes=list(ApiScope), created_by=None, name="bench")
    candidates = list(
        Candidate.objects.filter(status=Status.LOPEND, phase__in=[Phase.WERVING, Phase.SELECTIE, Phase.KEURING])
        .order_by("id")
        .values("id", *RESTORED_FIELDS)[:MAX_REQUESTS]
    )
    state = {
        c["id"]: {f: str(c[f]) if f in ("step_since", "updated_at") else c[f] for f in RESTORED_FIELDS}
        for c in candidates
    }
    last_event = StatusEvent.objects.order_by("-id").values_list("id", flat=True).first()
    last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    path.write_text(
        json.dumps(
            {
                "token": key,
                "token_id": token.pk,
                "owner_id": owner.pk,
                "candidates": [[c["id"], c["version"]] for c in candidates],
                "state": state,
                "last_event": last_event,
                "last_audit": last_audit,
            }
        )
    )


def restore(path: Path) -> None:
    """Undo the bench's transitions. Events and audit rows are append-only for the application; the bench takes
    back its own rows with SQL, on its own database only."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from intake import services
    from intake.models import ApiToken, AuditEntry, Candidate, Instroomspoor, StatusEvent

    targets = json.loads(path.read_text())
    with transaction.atomic(), connection.cursor() as cursor:
        moved = set(StatusEvent.objects.filter(id__gt=targets["last_event"]).values_list("candidate_id", flat=True))
        cursor.execute(f"DELETE FROM {StatusEvent._meta.db_table} WHERE id > %s", [targets["last_event"]])
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id > %s", [targets["last_audit"]])
        rows = []
        for candidate in Candidate.objects.filter(pk__in=moved):
            for name, value in targets["state"][str(candidate.pk)].items():
                setattr(candidate, name, value)
            rows.append(candidate)
        Candidate.objects.bulk_update(rows, RESTORED_FIELDS, batch_size=2000)
        ApiToken.objects.filter(pk=targets["token_id"]).delete()
        get_user_model().objects.filter(pk=targets["owner_id"]).delete()
    for pk in Instroomspoor.objects.values_list("pk", flat=True):
        services.phase_tally_recount(instroomspoor_id=pk)
    # As seeded, vacuumed: the pages of ~10,000 rows changed and taken back are otherwise not all-visible, and
    # the list pages' index-only counts that run after this bench would read the table for them.
    with connection.cursor() as cursor:
        tables = ", ".join(model._meta.db_table for model in (Candidate, StatusEvent, AuditEntry))
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    print(f"restored {len(moved):,} candidates moved by the bench")


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


def cpu_seconds(root: int) -> dict[int, float]:
    """User + system CPU seconds of the process `root` and of each of its descendants, by pid (Linux /proc):
    on a loaded machine the server's CPU per request compares runs better than its latency does."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    mine = {}
    for pid, seconds in times.items():
        ancestor = pid
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor, 0)
        if ancestor:
            mine[pid] = seconds
    return mine


def run(name, make_request, *, seconds: float, concurrency: int, budget: int, servers: dict[str, int]):
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

    cpu_before = {server: cpu_seconds(pid) for server, pid in servers.items()}
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    elapsed = time.monotonic() - started
    cpu = {}
    for server, pid in servers.items():
        # Per process, so that one that ended meanwhile (an autovacuum worker) does not subtract its time.
        before, after = cpu_before[server], cpu_seconds(pid)
        cpu[server] = sum(t - before.get(p, 0) for p, t in after.items()) * 1000 / max(len(latencies), 1)
    latencies.sort()
    return {
        "name": name,
        "requests": len(latencies),
        "errors": len(failures),
        "statuses": sorted(set(failures)),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "throughput": len(latencies) / elapsed,
        "cpu": cpu,
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

    moved = itertools.count()  # each candidate is moved once, over both passes

    def transition(n):
        candidate_id, version = candidates[next(moved)]
        body = json.dumps({**TRANSITION, "version": version}).encode()
        return client.request("POST", f"/api/v1/candidates/{candidate_id}/transitions", json_headers, body)

    def report(name):
        return lambda n: client.request("GET", f"/api/v1/reports/{name}{REPORT_QUERIES[n % len(REPORT_QUERIES)]}", auth)

    for _ in range(40):  # every worker has answered once (imports, translations) before anything is timed
        client.request("GET", "/api/v1/branches/KL", auth)
    reports = [] if args.transitions_only else REPORTS
    # The first answer of each report and filter combination after a recompute (nothing cached yet).
    cold = {}
    for name in reports:
        for query in REPORT_QUERIES:
            started = time.perf_counter()
            status = client.request("GET", f"/api/v1/reports/{name}{query}", auth)
            assert status == 200, (name, query, status)
            cold.setdefault(name, []).append((time.perf_counter() - started) * 1000)

    servers = {"app": args.gunicorn_pid, "db": args.postgres_pid}

    def measure(concurrency, seconds):
        common = {"seconds": seconds, "concurrency": concurrency, "budget": MAX_REQUESTS, "servers": servers}

        def trivial(name):
            return run(name, lambda n: client.request("GET", "/api/v1/branches/KL", auth), **common)

        return [
            trivial("GET branches/KL (trivial)"),
            *(run(f"GET reports/{name}", report(name), **common) for name in reports),
            # The transitions' baseline is measured right before them: over the minutes the reports take, the
            # machine's speed drifts (the same code measured 0.41-0.43 against the trivial endpoint of the run's
            # start and 0.58-0.65 in runs without the reports).
            *([trivial("GET branches/KL (trivial, again)")] if reports else []),
            run("POST candidates/{id}/transitions", transition, **{**common, "budget": len(candidates) // 2}),
        ]

    latency = measure(1, args.seconds / 2)
    loaded = measure(args.concurrency, args.seconds)
    print()
    print(f"{datetime.date.today()}: {args.candidates:,} demo candidates, gunicorn {args.workers} workers, loopback")
    show(f"latency: one client, {args.seconds / 2:g} s per endpoint (report target p95 < 30 ms)", latency)
    show(f"throughput: {args.concurrency} concurrent clients, {args.seconds:g} s per endpoint", loaded)
    baseline, moves = loaded[-2], loaded[-1]

    def server_cpu(result):
        return sum(result["cpu"].values())

    print("cpu app / cpu db: CPU ms per request of the gunicorn workers / of PostgreSQL")
    ratio = moves["throughput"] / baseline["throughput"]
    print(f"transition throughput / trivial just before (target >= 0.5): {ratio:.2f}")
    cpu_ratio = server_cpu(baseline) / server_cpu(moves)
    print(f"trivial just before / transition server CPU per request:     {cpu_ratio:.2f}")
    if not cold:
        return
    print()
    print(
        "first request per report and filter combination after the recompute, ms ("
        + ", ".join(q or "no filters" for q in REPORT_QUERIES)
        + ")"
    )
    for name, times in cold.items():
        print(f"  {name:<20}" + "".join(f"{t:>9.1f}" for t in times))


def show(title: str, results: list[dict]) -> None:
    baseline = results[0]
    print()
    print(title)
    print(
        f"{'endpoint':<36}{'requests':>9}{'errors':>7}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}"
        f"{'p50 ratio':>10}{'p95 ratio':>10}{'cpu app':>9}{'cpu db':>8}"
    )
    for r in results:
        print(
            f"{r['name']:<36}{r['requests']:>9}{r['errors']:>7}{r['p50']:>9.1f}{r['p95']:>9.1f}"
            f"{r['throughput']:>9.0f}{r['p50'] / baseline['p50']:>10.1f}{r['p95'] / baseline['p95']:>10.1f}"
            f"{r['cpu']['app']:>9.1f}{r['cpu']['db']:>8.1f}"
        )
        if r["errors"]:
            print(f"  non-2xx statuses: {r['statuses']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare").add_argument("targets")
    commands.add_parser("restore").add_argument("targets")
    loading = commands.add_parser("load")
    loading.add_argument("targets")
    loading.add_argument("url")
    loading.add_argument("--seconds", type=float, default=20)
    loading.add_argument("--concurrency", type=int, default=8)
    loading.add_argument("--candidates", type=int, default=0)
    loading.add_argument("--workers", type=int, default=0)
    loading.add_argument("--transitions-only", action="store_true", help="only the trivial endpoint and transitions")
    loading.add_argument("--gunicorn-pid", type=int, required=True)
    loading.add_argument("--postgres-pid", type=int, required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(Path(args.targets))
    elif args.command == "restore":
        restore(Path(args.targets))
    else:
        load(args)


if __name__ == "__main__":
    main()
