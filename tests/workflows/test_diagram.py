"""The lifecycle picture is drawn from the machine: every state and transition is in it."""

import xml.etree.ElementTree as ET
from pathlib import Path

from workflows.diagram import render_svg
from workflows.lifecycle import MACHINE, PHASES, STATE_EXPLANATIONS, STATES, TRANSITIONS

SVG = "{http://www.w3.org/2000/svg}"
COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.svg"


def parsed(text: str) -> ET.Element:
    return ET.fromstring(text.encode())


def test_every_state_of_the_machine_is_a_box_in_its_phase_with_both_labels():
    root = parsed(render_svg())
    boxes = {g.get("data-state"): g for g in root.iter(f"{SVG}g") if g.get("class") == "state"}
    assert set(boxes) == set(STATES) == set(MACHINE.states)
    phase_of = {state: phase for phase, states in PHASES.items() for state in states}
    for state, box in boxes.items():
        assert box.get("data-phase") == phase_of[state]
        texts = ["".join(t.itertext()) for t in box.iter(f"{SVG}text")]
        assert state in texts
        assert len(texts) == 3 and all(texts)


def test_every_transition_from_every_source_is_a_labelled_arrow():
    root = parsed(render_svg())
    arrows = {
        (g.get("data-transition"), g.get("data-source"), g.get("data-target"))
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "transition"
    }
    from_machine = {
        (name, t.source, t.dest)
        for name, event in MACHINE.events.items()
        for source_transitions in event.transitions.values()
        for t in source_transitions
    }
    assert arrows == from_machine
    assert arrows == {(t.name, s, t.dest) for t in TRANSITIONS for s in t.sources}
    labels = {
        (t.get("data-transition"), t.get("data-source")): t.text
        for t in root.iter(f"{SVG}text")
        if t.get("class") == "transition-label"
    }
    assert {(name, source) for name, source, _dest in arrows} == set(labels)
    assert all(labels[key] == key[0] for key in labels)
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "transition":
            assert g.find(f"{SVG}path").get("marker-end") == "url(#arrow)"


def test_every_phase_is_drawn():
    root = parsed(render_svg())
    drawn = {g.get("data-phase") for g in root.iter(f"{SVG}g") if g.get("class") == "phase"}
    assert drawn == set(PHASES)


def test_the_committed_docs_diagram_is_what_the_code_draws():
    assert COMMITTED.read_text(encoding="utf-8") == render_svg(), (
        "docs/lifecycle.svg is stale: run "
        "`flask --app service lifecycle diagram docs/lifecycle.svg`"
    )


def test_every_state_is_explained_in_korean_and_english():
    assert set(STATE_EXPLANATIONS) == set(STATES)
    for text in STATE_EXPLANATIONS.values():
        assert text.en and text.ko and text.en != text.ko
