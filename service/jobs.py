"""The job-dispatch seam: work that may wait (PDF rendering, e-mail) goes through `enqueue`.

Without REDIS_URL (the embedded default) `enqueue` runs the function at once,
in the caller's process and app context, and returns its result. With
REDIS_URL set it pushes the job to RQ on that Redis and returns the RQ job; a
worker (`flask --app service worker`) runs it inside an app context. The
function is named by its dotted path ("package.module.function"), so the job
carries no pickled code, only the name and its (JSON-friendly) arguments.
"""

import importlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context

from service.extensions import db

DEFAULT_QUEUE = "issuer-registry"


def resolve(func_path: str) -> Callable[..., Any]:
    """'package.module.function' (or 'package.module:function') -> the function."""
    module_name, sep, name = func_path.partition(":")
    if not sep:
        module_name, _, name = func_path.rpartition(".")
    if not module_name or not name:
        raise ValueError(f"not a dotted function path: {func_path!r}")
    return getattr(importlib.import_module(module_name), name)


def queue_name(app: Flask | None = None) -> str:
    return (app or current_app).config.get("JOBS_QUEUE") or DEFAULT_QUEUE


def redis_connection(url: str):
    from redis import Redis  # loaded only when REDIS_URL is set

    return Redis.from_url(url)


def queue(app: Flask | None = None):
    """The RQ queue of this app (REDIS_URL must be set)."""
    from rq import Queue  # loaded only when REDIS_URL is set

    app = app or current_app
    return Queue(queue_name(app), connection=redis_connection(app.config["REDIS_URL"]))


def enqueue(func_path: str, *args: Any, timeout: int | None = None) -> Any:
    """Run `func_path(*args)` now (no REDIS_URL), or queue it for the worker (returns the job).
    `timeout` (seconds) is for jobs that may run longer than JOBS_TIMEOUT."""
    resolve(func_path)  # a wrong name fails here, in the caller, not later in the worker
    if not current_app.config.get("REDIS_URL"):
        return resolve(func_path)(*args)
    return queue().enqueue(
        run_job,
        func_path,
        *args,
        job_timeout=timeout or current_app.config.get("JOBS_TIMEOUT", 300),
    )


def enqueue_in(delay: timedelta, func_path: str, *args: Any) -> Any:
    """Queue `func_path(*args)` for the worker to run after `delay` (RQ's scheduler, which
    the worker command runs). Without REDIS_URL nothing waits in the background: the caller
    keeps what is due in its rows and a command run by cron picks it up (returns None)."""
    resolve(func_path)
    if not current_app.config.get("REDIS_URL"):
        return None
    return queue().enqueue_in(
        delay, run_job, func_path, *args, job_timeout=current_app.config.get("JOBS_TIMEOUT", 300)
    )


_worker_app: Flask | None = None


def run_job(func_path: str, *args: Any) -> Any:
    """What the worker runs: the named function inside an app context."""
    if has_app_context():  # the worker command's context (flask --app service worker)
        try:
            return resolve(func_path)(*args)
        finally:
            db.session.remove()  # each job starts with a fresh session
    global _worker_app
    if _worker_app is None:
        # The app factory, above every layer, is needed only by a worker outside an app context.
        from service import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return resolve(func_path)(*args)
