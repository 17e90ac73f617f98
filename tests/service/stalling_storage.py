"""A storage backend for tests/service/test_killed_midway.py, run inside a real server.

Loaded through STORAGE_BACKEND (the dotted-path extension point of
service/storage.py), so the server under test runs unchanged production code:
it writes a filing's PDF as usual, then says so in the file named by
STALL_SIGNAL and waits there, with its transaction still open, to be killed.
"""

import os
import time

from service.storage import FileStorage


class StallingStorage(FileStorage):
    def put(self, key: str, data: bytes) -> None:
        super().put(key, data)
        if not key.startswith("filings/"):
            return
        signal = os.environ["STALL_SIGNAL"]
        with open(signal + ".tmp", "w", encoding="utf-8") as handle:
            handle.write(key)
        # Renamed into place so the test never reads a half-written key.
        os.replace(signal + ".tmp", signal)
        while True:
            time.sleep(60)
