"""SafeLoader subclasses that refuse what would lose data or time: duplicate keys, alias
bombs; and a scanner that finds the comments PyYAML would drop."""

from __future__ import annotations

from typing import ClassVar

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

MAX_EXPANSION_FACTOR = 4
"""What a file may weigh once its aliases are expanded, in bytes, as a multiple of its own
size: our own files use no aliases at all, and a save writes them expanded."""


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"


class SafeLoader(_LoaderBase):
    """SafeLoader that refuses duplicate keys, and builds plain data fast.

    PyYAML's constructor dispatches every node through a table and a generator (about
    1 s for the 600,000 nodes of 10,000 notes); text, lists and mappings are built here
    directly, anything else (numbers, times, null, `<<` merges, `!!set`...) by PyYAML.
    """

    _plain_tags: ClassVar[dict[str, str]] = {}
    """Tags resolved for short plain scalars (keys repeat 10,000 times in a notes file)."""

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        # Called by libyaml's composer for every node. A quoted or block scalar is text
        # (PyYAML's own rule, without its lookups); a plain one is resolved once per
        # value; no path resolvers are registered on these classes.
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
                if len(value) <= 64 and len(self._plain_tags) < 4096:
                    self._plain_tags[value] = tag
            return tag
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]

    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        # Only path resolvers use it, and none are registered on these classes.
        pass

    def ascend_resolver(self) -> None:
        pass

    def construct_document(self, node: Node) -> object:
        try:
            return self._plain(node)
        except RecursionError:
            # Nested deeper than Python's stack allows here: PyYAML's own constructor
            # works without recursion.
            pass
        finally:
            self.constructed_objects = {}
            self.recursive_objects = {}
        return super().construct_document(node)

    def _plain(self, node: Node) -> object:
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _STR:
                return node.value
        elif isinstance(node, SequenceNode):
            if tag == _SEQ:
                return [self._plain(child) for child in node.value]
        elif isinstance(node, MappingNode) and tag == _MAP:
            if not any(key.tag == _MERGE for key, _ in node.value):
                result: dict[object, object] = {}
                for key_node, value_node in node.value:
                    key = self._plain(key_node)
                    try:
                        duplicate = key in result
                    except TypeError:
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping",
                            node.start_mark,
                            "found unhashable key",
                            key_node.start_mark,
                        ) from None
                    if duplicate:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                        )
                    result[key] = self._plain(value_node)
                return result
        return self.construct_object(node, deep=True)

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
    """SafeLoader that also refuses alias bombs, by bytes.

    PyYAML shares aliased nodes, so a billion-laughs file composes quickly into a small
    graph and only explodes when walked (by us, or by a dump: a 108 KB file of aliases
    was once saved as 200 MB). We weigh the graph as if expanded, in bytes of scalars
    plus a few per node, in time linear in its real size, before anything is
    constructed; set `max_bytes` before loading.
    """

    max_bytes: int = 0
    """The most the expanded document may weigh (0: no bound)."""

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None and self.max_bytes:
            _check_expansion(node, self.max_bytes)
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


_NODE_BYTES = 4
"""What a node costs written out besides its text: indentation, `- `, `: `, a newline."""


def _check_expansion(root: Node, max_bytes: int) -> None:
    weights: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            if isinstance(node, ScalarNode):
                weight = _NODE_BYTES + len(str(node.value).encode("utf-8", "surrogatepass"))
            else:
                weight = _NODE_BYTES + sum(weights[id(child)] for child in _children(node))
            weights[key] = weight
            if weight > max_bytes:
                # Stop at once: the sums grow exponentially in a bomb's depth.
                raise YamlRefused(
                    f"refused: YAML aliases expand to over {_size(max_bytes)}"
                    f"{_at(node)} (a 'billion laughs' file?)"
                )
            continue
        if key in weights:
            continue
        if key in open_nodes:
            raise YamlRefused(f"refused: recursive YAML alias{_at(node)}")
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in weights)


def _size(count: int) -> str:
    if count >= 2**20:
        return f"{count / 2**20:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


def _at(node: Node) -> str:
    mark = node.start_mark
    return "" if mark is None else f" at line {mark.line + 1}"
