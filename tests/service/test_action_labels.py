"""Every action the service records has a name people read, in both languages: the case
history, the audit-trail PDF and the admin's pages show it instead of the code."""

import ast
from pathlib import Path

import pytest

from service.audit.actions import ACTIONS, FINDING_PREFIX, action_label
from workflows.lifecycle import TRANSITIONS
from workflows.monitoring.findings import FINDING_MOVES

SERVICE = Path(__file__).resolve().parents[2] / "service"


def _strings(node: ast.AST) -> set[str]:
    """The string constants an action argument can take (a literal, either side of an if)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def recorded_actions() -> set[str]:
    """The literal actions passed to `work.audit(...)` (or a helper named *audit) or as
    `action=` anywhere in service/, and the module constants named *_ACTION."""
    found: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                # work.audit("x", ...) and helpers around it, such as _audit(work, "x", ...).
                callee = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
                if callee.endswith("audit"):
                    for argument in node.args:
                        found |= _strings(argument)
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        found |= _strings(keyword.value)
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("_ACTION") for t in node.targets
            ):
                found |= _strings(node.value)
    return found


def test_the_scan_finds_the_actions_it_should():
    actions = recorded_actions()
    assert {"save_section", "add_document", "record_opinion", "renew", "integrity_alarm"} <= actions


@pytest.mark.parametrize(
    "action",
    sorted(
        recorded_actions()
        | {t.name for t in TRANSITIONS}
        | {FINDING_PREFIX + m.name for m in FINDING_MOVES}
    ),
)
def test_each_recorded_action_reads_as_words_in_both_languages(action):
    label = action_label(action)
    assert label.en != action and label.ko != action, f"{action} has no label"
    assert label.ko != label.en


def test_no_label_is_kept_for_an_action_nothing_records():
    stale = set(ACTIONS) - recorded_actions()
    assert stale == set()
