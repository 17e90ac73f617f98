"""What a gunicorn worker has loaded when it imports the WSGI entry, before any request."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from datetime import date

import service.wsgi
from service.timezone import korea_today
from workflows import clock

year = korea_today().year
loaded = clock._holidays_for.cache_info().currsize
modules = len(sys.modules)
# What a step's clock reads now: this year's last day and a deadline in January.
clock.is_business_day(date(year, 12, 31))
clock.is_business_day(date(year + 1, 1, 2))
print(json.dumps({
    "calendars_loaded": loaded,
    "calendars_loaded_by_the_reads": clock._holidays_for.cache_info().misses - loaded,
    "modules_imported_by_the_reads": len(sys.modules) - modules,
}))
"""


def test_the_wsgi_entry_loads_the_holiday_calendars_before_the_first_request(tmp_path):
    """A worker's first step used to import the calendar of every country the `holidays`
    package knows (about 0.2 s of CPU, docs/performance.md). Importing the entry, as each
    worker does when it starts, now loads this year's and next year's calendars."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'entry.sqlite'}",
    }
    run = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert probe == {
        "calendars_loaded": 2,
        "calendars_loaded_by_the_reads": 0,
        "modules_imported_by_the_reads": 0,
    }
