"""The README's key tables are complete and match the help screen (issue 13).

The help (`?`) is built from the bindings of the classes `help_groups` names. Three
checks, each failing with a list of what differs and where to fix it:

1. every binding declared anywhere in `tuireader.ui` is in the help, or listed in
   `NOT_IN_HELP` with the reason (a new widget's keys cannot slip past the help);
2. every key the help lists for a group is in the README table for that group;
3. every key a README table lists is bound in a group of the help (or is Textual's own).

A key added to a screen (marks, go-to line, copy…) without its README row fails 2; a
README row for a key that is gone fails 3.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import _character_to_key

import tuireader.ui
from tests.paths import REPO
from tuireader.ui.app import help_groups
from tuireader.ui.screens.help import binding_rows

README = REPO / "README.md"

TABLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("Keys", "what it does"): (
        "Anywhere",
        "Reader",
        "Article",
        "Outline",
        "Search line",
        "Go-to line",
    ),
    ("Notes", "what it does"): ("Notes", "Review", "Notes panel"),
    ("Library", "what it does"): ("Library", "Between documents"),
    ("Notes", "in the note editor"): ("Note editor", "Stance chooser"),
    ("Notes", "in a text field"): (),
}
"""README table (the `## ` section it is in, its second header cell) → help groups."""

TEXTUAL_KEYS: dict[tuple[str, str], frozenset[str]] = {
    ("Keys", "what it does"): frozenset({"tab", "shift+tab", "ctrl+p", "ctrl+c"}),
    ("Notes", "in the note editor"): frozenset({"tab", "shift+tab"}),
    # Textual's own keys of its TextArea and Input, which the bidi fields keep but move
    # visually (README "Typing").
    ("Notes", "in a text field"): frozenset(
        {
            "left",
            "right",
            "ctrl+left",
            "ctrl+right",
            "shift+left",
            "shift+right",
            "home",
            "end",
            "up",
            "down",
            "backspace",
            "delete",
        }
    ),
}
"""Keys a README table lists that Textual binds itself (focus moves, the palette)."""

NOT_IN_HELP: dict[str, str] = {
    "ConfirmScreen": "a question's keys: its buttons name the answers",
    "HelpScreen": "the help's own keys: its first row (`?`) and the README say them",
    "LoadingScreen": "its one key, Esc back to a library, is said on the view itself",
    "DetailsScreen": "its one key, Esc, closes it and is said on its frame",
    "NotesSearchScreen": "its one key, Esc, closes it and is said on its frame",
    "ReaderApp": "its keys are listed as 'Anywhere' and, in a library, 'Between documents'",
    "ReaderScreen": "it binds the keys listed as 'Reader', 'Notes' and 'Review' (reader_keys.py)",
}
"""Classes whose bindings the help does not list, and why."""

WORD_KEYS = {
    "↓": "down",
    "↑": "up",
    "←": "left",
    "→": "right",
    "pgdn": "pagedown",
    "pgup": "pageup",
    "esc": "escape",
}
"""README spellings of keys whose Textual name differs."""

_RANGE_RE = re.compile(r"`([^`]*?)(\d)`\s*(?:–|…|\.\.\.)\s*`([^`]*?)(\d)`")
_TOKEN_RE = re.compile(r"`([^`]+)`")


def key_name(token: str) -> str:
    """The Textual key name of a README key (`PgDn` → pagedown, `}` →
    right_curly_bracket, `shift+tab` as it is)."""
    if len(token) == 1:
        return WORD_KEYS.get(token) or _character_to_key(token)
    if len(token) == 2 and token[0] == token[1]:
        return key_name(token[0])  # `''`: one key pressed twice
    lowered = token.lower()
    *modifiers, key = lowered.rsplit("+", 1) if len(lowered) > 2 else [lowered]
    return "+".join([*modifiers, WORD_KEYS.get(key, key)])


def readme_tables() -> dict[tuple[str, str], set[str]]:
    """The keys of each README key table (a table whose first header cell is "key")."""
    tables: dict[tuple[str, str], set[str]] = {}
    section = ""
    current: set[str] | None = None
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        if not line.startswith("|"):
            current = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if current is None:
            if cells[0] == "key" and len(cells) > 1:
                current = tables.setdefault((section, cells[1]), set())
            continue
        if set(cells[0]) <= {"-", " ", ":"}:
            continue  # the header's rule
        current.update(row_keys(cells[0]))
    return tables


def row_keys(cell: str) -> Iterator[str]:
    """The keys a row's first cell names: each `key`, with `1`–`5` and `alt+0` …
    `alt+5` meaning every key between."""
    for found in _RANGE_RE.finditer(cell):
        prefix, first, _, last = found.groups()
        for digit in range(int(first), int(last) + 1):
            yield key_name(f"{prefix}{digit}")
    for token in _TOKEN_RE.findall(_RANGE_RE.sub("", cell)):
        yield key_name(token)


def help_keys(groups: tuple[str, ...]) -> dict[str, list[str]]:
    """Key → the bindings (group: id) the help lists for it, over the given groups."""
    classes = dict(help_groups(library=True))
    keys: dict[str, list[str]] = {}
    for group in groups:
        for binding in binding_rows(classes[group]):
            for key in binding.key.split(","):
                keys.setdefault(key.strip(), []).append(f"{group}: {binding.id}")
    return keys


def declared_bindings() -> Iterator[tuple[type[DOMNode], list[Binding]]]:
    """Every class in tuireader.ui that declares bindings of its own."""
    for module_info in pkgutil.walk_packages(tuireader.ui.__path__, "tuireader.ui."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if (
                value.__module__ == module.__name__
                and issubclass(value, DOMNode)
                and value.__dict__.get("BINDINGS")
            ):
                yield value, binding_rows(value)


def test_every_binding_is_in_the_help_or_said_why_not() -> None:
    shown = {node_class for _title, node_class in help_groups(library=True)}
    missing = [
        f"{node_class.__module__}.{node_class.__name__}: "
        + ", ".join(str(binding.id or binding.key) for binding in bindings)
        for node_class, bindings in declared_bindings()
        if node_class not in shown and node_class.__name__ not in NOT_IN_HELP
    ]
    assert not missing, (
        "Bindings the help (`?`) does not list: add the class to help_groups(library=True) in "
        "ui/app.py, or to NOT_IN_HELP here with the reason:\n  " + "\n  ".join(missing)
    )


def test_every_bound_key_has_a_readme_row() -> None:
    tables = readme_tables()
    problems = []
    for table, groups in TABLES.items():
        documented = tables.get(table)
        if documented is None:
            problems.append(f"README has no key table {table} (in its `## {table[0]}`)")
            continue
        for key, bindings in sorted(help_keys(groups).items()):
            if key not in documented:
                problems.append(f"{key} ({', '.join(bindings)}) → README table {table}")
    assert not problems, "Keys the help lists but the README's key tables do not:\n  " + (
        "\n  ".join(problems)
    )


def test_every_readme_key_is_bound() -> None:
    """A table may name a key of another group too (`[` `]` move the claim cursor in
    the reader and select claims for notes): any binding the help lists will do."""
    all_groups = tuple(title for title, _node_class in help_groups(library=True))
    bound = set(help_keys(all_groups))
    problems = []
    for table, keys in readme_tables().items():
        for key in sorted(keys - bound - TEXTUAL_KEYS.get(table, frozenset())):
            problems.append(f"{key} in README table {table}")
    assert not problems, "README keys that nothing the help lists binds:\n  " + (
        "\n  ".join(problems)
    )


def test_the_readme_spellings_are_understood() -> None:
    """The parser itself: ranges, arrows and names."""
    assert list(row_keys("`j` / `↓`, `PgDn`")) == ["j", "down", "pagedown"]
    assert sorted(row_keys("`1` … `3`")) == ["1", "2", "3"]
    assert sorted(row_keys("`alt+0`–`alt+2`, `Esc`")) == ["alt+0", "alt+1", "alt+2", "escape"]
    assert list(row_keys("`}` / `{`, `?`, `,`")) == [
        "right_curly_bracket",
        "left_curly_bracket",
        "question_mark",
        "comma",
    ]
