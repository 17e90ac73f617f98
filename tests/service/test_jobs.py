"""service.jobs: inline without REDIS_URL; on RQ with it, run by a real worker on real Redis."""

import pytest

from service import jobs
from service.storage import storage


def test_without_redis_a_job_runs_at_once_and_returns_its_result(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    assert jobs.enqueue("tests.service.jobs_helpers.store", "inline/a.txt", "now") == "inline/a.txt"
    assert storage().get("inline/a.txt") == b"now"


def test_a_wrong_function_name_fails_in_the_caller(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    with pytest.raises(AttributeError):
        jobs.enqueue("tests.service.jobs_helpers.no_such_function")
    with pytest.raises(ValueError):
        jobs.enqueue("nodots")


def test_with_redis_the_job_waits_for_the_worker_and_the_worker_runs_it(app, ctx, redis_queue):
    from rq import SimpleWorker

    job = jobs.enqueue("tests.service.jobs_helpers.store", "queued/b.txt", "later")
    assert job.get_status() == "queued"
    assert not storage().exists("queued/b.txt")

    assert SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)

    job.refresh()
    assert job.get_status() == "finished"
    assert job.return_value() == "queued/b.txt"
    assert storage().get("queued/b.txt") == b"later"


def test_a_failing_job_is_kept_as_failed_with_its_error(app, ctx, redis_queue):
    from rq import SimpleWorker

    job = jobs.enqueue("tests.service.jobs_helpers.fail", "the printer is on fire")
    SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    job.refresh()
    assert job.get_status() == "failed"
    assert job.id in redis_queue.failed_job_registry.get_job_ids()
    assert "the printer is on fire" in job.latest_result().exc_string


def test_the_worker_command_runs_queued_jobs_and_stops_in_burst_mode(app, ctx, redis_queue):
    job = jobs.enqueue("tests.service.jobs_helpers.store", "cli/c.txt", "by the command")
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    job.refresh()
    assert job.get_status() == "finished"
    assert storage().get("cli/c.txt") == b"by the command"


def test_the_worker_command_refuses_to_start_without_redis(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output
