"""Memory of a worker holding 10,000 applications bound to the shared state machine.

Two fresh processes build the app as a gunicorn worker does; one then holds
10,000 `Application` objects bound to workflows.lifecycle.MACHINE (add_model
with initial=<state>), the other holds none. The figure is the ratio of their
resident memory; tracemalloc gives the Python heap the binding itself adds.
"""

import json
import os
import subprocess
import sys
import tracemalloc

from bench.common import ROOT, report

MODELS = 10_000
TARGET = 1.5  # the bound worker may be at most half again as large as an idle one


def _rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def child(models: int, trace: bool) -> dict:
    from bench.common import make_app
    from service.models import Application
    from workflows.lifecycle import MACHINE, STATES

    app = make_app("sqlite://")
    with app.test_request_context():
        pass
    if trace:  # a separate run: tracemalloc's own bookkeeping would inflate the RSS
        tracemalloc.start()
    states = [STATES[n % len(STATES)] for n in range(models)]
    held = [
        Application(id=n + 1, organization_id=1, category="krw_stablecoin", state=state)
        for n, state in enumerate(states)
    ]
    before_heap = tracemalloc.get_traced_memory()[0]
    for model in held:
        MACHINE.add_model(model, initial=model.state)
    heap = tracemalloc.get_traced_memory()[0] - before_heap  # what binding adds
    tracemalloc.stop()
    assert len(MACHINE.models) >= models
    return {"rss": _rss_bytes(), "heap": heap, "held": len(held)}


def _measure(models: int, trace: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.memory", "--child", str(models)]
        + (["--trace"] if trace else []),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(context: dict | None = None) -> list[dict]:
    idle = _measure(0)
    bound = _measure(MODELS)
    ratio = bound["rss"] / idle["rss"]
    per_model = _measure(MODELS, trace=True)["heap"] / MODELS
    detail = (
        f"RSS {bound['rss'] / 2**20:.1f} MiB vs {idle['rss'] / 2**20:.1f} MiB; "
        f"{per_model:.0f} bytes of Python heap per bound application"
    )
    return [
        report(
            f"worker memory, {MODELS:,} bound applications",
            ratio,
            f"<= {TARGET}x",
            ratio <= TARGET,
            detail,
        )
    ]


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), "--trace" in sys.argv)))
    else:
        run()
