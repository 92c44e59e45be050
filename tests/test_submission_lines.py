"""Line numbers in TOML text: every key is found on its own line, whatever the strings hold."""

from __future__ import annotations

import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st
from vatui.store.tomllines import key_lines, line_of

# Texts that look like TOML inside a string must not be taken for keys or tables.
TRICKY = st.sampled_from(
    ['value = "x"', "[[metric]]", "[delay]", 'name = """', "'''", "note = 1", "# a comment"]
)
TEXTS = st.lists(st.one_of(TRICKY, st.text(max_size=20)), max_size=4).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(metrics=st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=4), assessment=TEXTS)
def test_each_key_is_found_on_its_line(metrics: list[tuple[str, str]], assessment: str) -> None:
    document = tomlkit.document()
    document.add("installation", "uc5")
    tables = tomlkit.aot()
    for value, note in metrics:
        table = tomlkit.table()
        table.add(tomlkit.comment("value = 1"))
        table.add("value", tomlkit.string(value, multiline="\n" in value))
        table.add("note", note)
        tables.append(table)
    document.add("metric", tables)
    delay = tomlkit.table()
    delay.add("planning", tomlkit.string(assessment, multiline=True))
    delay.add("reason", "")
    document.add("delay", delay)
    text = tomlkit.dumps(document)
    lines = key_lines(text)
    source = text.splitlines()

    def starts(path: str, prefix: str) -> bool:
        return source[line_of(lines, path) - 1].startswith(prefix)

    assert starts("installation", "installation =")
    for n in range(len(metrics)):
        assert starts(f"metric[{n}]", "[[metric]]")
        assert starts(f"metric[{n}].value", "value =")
        assert starts(f"metric[{n}].note", "note =")
    assert starts("delay.reason", "reason =")
    assert f"metric[{len(metrics)}]" not in lines


def test_a_path_falls_back_to_its_table_then_the_first_line() -> None:
    lines = key_lines('a = 1\n\n[[metric]]\nname = "x"\n')
    assert line_of(lines, "metric[0].value") == 3
    assert line_of(lines, "nowhere.at.all") == 1
