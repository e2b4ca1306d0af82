"""SafeLoader subclasses that refuse what would lose data or time: duplicate keys, alias
bombs; and a scanner that finds the comments PyYAML would drop."""

from __future__ import annotations

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tuireader.notes.errors import YamlRefused

# libyaml is ~10x faster to parse and caps nesting depth itself (1000); the pure-Python
# classes are the fallback on builds without it.
try:
    from yaml import CSafeLoader as _LoaderBase
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _LoaderBase  # type: ignore[assignment]

MAX_ALIAS_EXPANSION = 100_000
"""How many nodes aliases may add once expanded; our own files use no aliases at all."""


class SafeLoader(_LoaderBase):
    """SafeLoader that refuses duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[object, object]:
        # PyYAML keeps the last of two equal keys; writing that back would silently drop
        # the first (a botched merge can produce two `body:` keys).
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


class BoundedLoader(SafeLoader):
    """SafeLoader that also refuses alias bombs.

    PyYAML shares aliased nodes, so a billion-laughs file composes quickly into a small
    graph and only explodes when walked (by us, or by a dump). We weigh the graph as if
    expanded, in time linear in its real size, before anything is constructed.
    """

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


class CommentFound(Exception):
    """Raised by `CommentFinder` at the first comment, with its line (from 1)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class CommentFinder(yaml.SafeLoader):
    """The pure-Python scanner, stopping at the first comment it skips."""

    def scan_to_next_token(self) -> None:
        # PyYAML's own loop (scanner.py), plus the report: comments are skipped here
        # between tokens, after block scalar headers and after directives.
        if self.index == 0 and self.peek() == "\ufeff":
            self.forward()
        while True:
            while self.peek() == " ":
                self.forward()
            if self.peek() == "#":
                raise CommentFound(self.line + 1)
            if self.scan_line_break():  # type: ignore[no-untyped-call]
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return

    def scan_block_scalar_ignored_line(self, start_mark: Mark) -> None:
        self._check_comment_ahead()
        # The stub says None, but PyYAML returns the line break and its caller needs it.
        return super().scan_block_scalar_ignored_line(start_mark)

    def scan_directive_ignored_line(self, start_mark: Mark) -> None:
        self._check_comment_ahead()
        super().scan_directive_ignored_line(start_mark)

    def _check_comment_ahead(self) -> None:
        ahead = 0
        while self.peek(ahead) == " ":
            ahead += 1
        if self.peek(ahead) == "#":
            raise CommentFound(self.line + 1)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: Node) -> None:
    weights: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            weights[key] = 1 + sum(weights[id(child)] for child in _children(node))
            continue
        if key in weights:
            continue
        if key in open_nodes:
            raise YamlRefused(f"refused: recursive YAML alias{_at(node)}")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in weights)
    expanded = weights[id(root)]
    if expanded > len(weights) + MAX_ALIAS_EXPANSION:
        raise YamlRefused(
            f"refused: YAML aliases expand {len(weights):,} nodes to {expanded:,} "
            "(a 'billion laughs' file?)"
        )


def _at(node: Node) -> str:
    mark = node.start_mark
    return "" if mark is None else f" at line {mark.line + 1}"
