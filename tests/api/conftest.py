"""The API as an issuer's system meets it: the app served on a real port, and a client
generated from the document it serves (openapi-python-client), once per session."""

import importlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import database_url, migrated_app

# How the generator maps the document's media types: a file download (PDF, ZIP) is kept as
# bytes, as application/octet-stream would be (its default knows JSON, text and that one).
GENERATOR_CONFIG = """\
project_name_override: registry_client
package_name_override: registry_client
post_hooks: []
content_type_overrides:
  application/pdf: application/octet-stream
  application/zip: application/octet-stream
"""


@pytest.fixture(scope="session")
def api_app(tmp_path_factory, worker_id):
    """An app on a database and storage of its own: the journey's export covers every filing
    of the period, so no other test's rows (their files in other folders) may be there."""
    instance = tmp_path_factory.mktemp("api")
    return migrated_app(instance, database_url(instance, worker_id, "_api"))


@pytest.fixture(scope="session")
def served(api_app):
    """The API's app on 127.0.0.1 at a port of its own, one request at a time."""
    server = make_server("127.0.0.1", 0, api_app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def registry_client(served, tmp_path_factory):
    """The client package generated from the served /api/v1/openapi.json, imported."""
    folder = tmp_path_factory.mktemp("generated")
    config = folder / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    generator = Path(sys.executable).parent / "openapi-python-client"
    done = subprocess.run(
        [
            str(generator),
            "generate",
            "--url",
            f"{served}/api/v1/openapi.json",
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(folder / "registry_client"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Every operation and response made it into the client: none was left out as unreadable.
    assert "WARNING" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("registry_client")
    finally:
        sys.path.remove(str(folder))
