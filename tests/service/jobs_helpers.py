"""Functions the job tests dispatch by name (a job names its function by dotted path)."""

from service.storage import storage


def store(key: str, text: str) -> str:
    storage().put(key, text.encode())
    return key


def fail(message: str) -> None:
    raise RuntimeError(message)
