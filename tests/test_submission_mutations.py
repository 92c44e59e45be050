"""Random damage to a valid submission file never crashes an import and never half-applies it."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vatui.exports.submission import submission_template
from vatui.store import Store, StoreError
from vatui.store.projectfile import create_store, demo_text, read_project_file
from vatui.store.submissions import apply_submission, read_submission

from .conftest import counting_clock

FILLED = {
    'id = "users"\nvalue = ""': 'id = "users"\nvalue = "9"',
    'id = "images-processed"\nvalue = ""': 'id = "images-processed"\nvalue = "2,100,000"',
    'id = "countries"\nvalue = ""': 'id = "countries"\nvalue = 3',
}

CHARS = st.sampled_from(list("\"=[]{}#\n,.-0123456789abcKorea '\\"))


@st.composite
def mutations(draw: st.DrawFn, text: str) -> str:
    """The text with a few characters or lines deleted, doubled or replaced."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "swap", "insert", "cut"]))
        line = lines[index]
        if action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, line)
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], line
        elif action == "insert":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.text(CHARS, min_size=1, max_size=4)) + line[at:]
        else:
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at]
        if not lines:
            lines = ["\n"]
    return "".join(lines)


def filled_template(store: Store) -> str:
    text, _ = submission_template(store, "uc5", "M25-M36")
    for empty, value in FILLED.items():
        text = text.replace(empty, value)
    return text


@functools.cache
def pristine_template() -> str:
    """The filled template as made from a fresh demo store: the same text for every example."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.db"
        create_store(path, read_project_file(demo_text(), "demo")).close()
        with Store.open(path) as store:
            return filled_template(store)


def state(store: Store) -> tuple[object, ...]:
    return (
        tuple(store.values(installation="uc5")),
        tuple(store.assessments(installation="uc5")),
        len(store.delays("uc5")),
        len(store.history()),
    )


def test_the_unmutated_file_imports(demo: Store) -> None:
    changes = apply_submission(demo, read_submission(demo, "VLIZ", filled_template(demo), "f"))
    assert len(changes) == 3
    assert demo.value("uc5", "images-processed", "M25-M36").shown == "2,100,000"  # type: ignore[union-attr]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_mutated_file_is_imported_whole_or_refused_whole(
    demo_path: Path, data: st.DataObject
) -> None:
    with Store.open(demo_path, clock=counting_clock()) as store:
        text = data.draw(mutations(pristine_template()))
        before = state(store)
        try:
            submission = read_submission(store, "VLIZ", text, "mutated.toml")
        except StoreError as refused:
            assert str(refused).startswith("mutated.toml:"), str(refused)
            assert state(store) == before
            return
        try:
            apply_submission(store, submission)
        except StoreError:
            assert state(store) == before
            return
        written = len(store.history()) - before[3]
        assert written == len(submission.changes)


def test_a_key_given_twice_is_refused_with_its_line(demo: Store) -> None:
    text = filled_template(demo).replace('id = "users"\n', 'id = "users"\nid = "users"\n', 1)
    line = text.splitlines().index('id = "users"') + 2
    with pytest.raises(StoreError, match=rf'^twice.toml:{line}: not valid TOML: Key "id"'):
        read_submission(demo, "VLIZ", text, "twice.toml")
