"""What the regulator's seal adds to a decision filing's render (docs/sealing.md).

Medians of several runs, warm (fonts and the seal's key loaded once, as in the service):
the decision letter and the certificate rendered and sealed as the service files them,
the seal alone on the same rendered PDF, and the seal with a time-stamp authority on
127.0.0.1 (tests/service/seals.py: the network to a real authority comes on top).
Target: the seal adds at most a quarter to a decision's render.

Run with `make bench` (`BENCH_ONLY=seal`; BENCH_SEAL_RUNS) or `.venv/bin/python -m bench.seal`.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import report  # noqa: E402
from service import create_app  # noqa: E402
from service.canonical import canonical_json  # noqa: E402
from service.filings import seal  # noqa: E402
from service.filings.pdf import render_filing  # noqa: E402
from tests.service.seals import TimeStampAuthority  # noqa: E402
from tests.service.test_filing_pdfs import CONTENTS, filed  # noqa: E402


def timed(function, runs: int) -> float:
    function()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_revision(pdf: bytes) -> bytes:
    """The PDF as WeasyPrint wrote it: the seal is an incremental update after its %%EOF."""
    end = pdf.index(b"%%EOF") + len(b"%%EOF")
    return pdf[: end + 1] if pdf[end : end + 1] == b"\n" else pdf[:end]


def run() -> list[dict]:
    runs = int(os.environ.get("BENCH_SEAL_RUNS", "9"))
    work = Path(tempfile.mkdtemp(prefix="bench-seal-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}/bench.sqlite",
            "SECRET_KEY": "bench",
            "SEAL_DEMO_PATH": str(work / "seal"),
        }
    )
    figures = []
    with app.app_context():
        for kind in ("decision", "certificate"):
            text = canonical_json(filed(kind, CONTENTS[kind]))
            document = json.loads(text)
            sealed_render = timed(lambda: render_filing(document, text), runs)  # noqa: B023
            unsealed = first_revision(render_filing(document, text))
            alone = timed(lambda: seal.seal(unsealed), runs)  # noqa: B023
            with TimeStampAuthority() as tsa:
                app.config["SEAL_TSA_URL"] = tsa.url
                stamped = timed(lambda: seal.seal(unsealed), runs)  # noqa: B023
                app.config["SEAL_TSA_URL"] = None
            # The test authority signs each token with a key it parses anew: its own time.
            answering = tsa.seconds_answering / (runs + 1)
            share = alone / (sealed_render - alone)
            figures.append(
                report(
                    f"seal on a {kind} render (share added)",
                    share,
                    "<= 0.25x",
                    share <= 0.25,
                    f"median of {runs}: render and seal {sealed_render:.3f} s, seal alone "
                    f"{alone * 1000:.0f} ms (PAdES-B-B), {stamped * 1000:.0f} ms with a local "
                    f"time-stamp authority (B-T, of which {answering * 1000:.0f} ms the "
                    f"authority's own work on {tsa.requests // (runs + 1)} requests); "
                    f"load average {os.getloadavg()[0]:.1f}",
                )
            )
    return figures


def main() -> int:
    figures = run()
    return 0 if all(f["ok"] for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
