"""`python -m bench` (or `make bench`): generate or reuse the data, run every bench, print figures.

Each bench module present in this folder runs in turn: queue, register, case, transitions,
memory, event_csv, and pdf and seal when they exist. A module offers `run(context)` (or
`run()`, or `main()`); `run` returns the figures it printed. Every figure is a ratio measured
in the same run, printed with its target and PASS or MISS.

Environment: BENCH_DATABASE_URL (default a SQLite file under /tmp), BENCH_PG_URL
(the PostgreSQL database of the transitions bench), BENCH_SIZE (applications;
100,000 by default; 10,000 for a quick run), BENCH_REPEAT (runs per median),
BENCH_ONLY (comma-separated module names).
"""

import importlib
import importlib.util
import inspect
import os
import sys
import time
import traceback

from bench.common import SIZE, database_url

ORDER = ("queue", "register", "case", "transitions", "memory", "event_csv", "pdf", "seal", "log")


def _modules() -> list[str]:
    only = [m.strip() for m in os.environ.get("BENCH_ONLY", "").split(",") if m.strip()]
    names = [m for m in ORDER if importlib.util.find_spec(f"bench.{m}") is not None]
    return [m for m in names if not only or m in only]


def _call(module, context: dict):
    for name in ("run", "main"):
        function = getattr(module, name, None)
        if callable(function):
            takes_context = bool(inspect.signature(function).parameters)
            return function(context) if takes_context else function()
    raise RuntimeError(f"{module.__name__} has neither run() nor main()")


def main() -> int:
    from bench.generate import generate

    started = time.perf_counter()
    print(f"Issuer Registry bench: {SIZE:,} applications, {database_url().split('@')[-1]}")
    context = generate()
    print(
        f"data: {context['applications']:,} applications, {context['audit_events']:,} audit "
        f"events, case #{context['long_case_id']} with {context['long_case_events']:,} events "
        f"({time.perf_counter() - started:.0f}s)\n",
        flush=True,
    )
    figures, failed = [], []
    for name in _modules():
        try:
            module = importlib.import_module(f"bench.{name}")
            figures += [f for f in (_call(module, context) or []) if isinstance(f, dict)]
        except Exception:  # noqa: BLE001 - one broken bench must not hide the others
            traceback.print_exc()
            failed.append(name)
    missed = [f["name"] for f in figures if not f.get("ok", True)]
    print(
        f"\n{len(figures)} figures, {len(figures) - len(missed)} PASS, {len(missed)} MISS"
        + (f"; benches that failed to run: {', '.join(failed)}" if failed else "")
        + f" ({time.perf_counter() - started:.0f}s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
