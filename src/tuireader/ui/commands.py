"""The command palette: entries for every active key binding, so each one can be found by
name, and a palette that survives PageUp/PageDown as its hits arrive."""

from __future__ import annotations

from functools import partial

from rich.text import Span, Text
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape

from tuireader.ui.labels import visual_label


class ReaderCommandPalette(CommandPalette):
    """Textual's command palette, with page keys safe before its list is laid out.

    Textual 8.2's `OptionList._move_page` looks up the line of the highlighted option,
    and the lines are worked out only once the list has a size: PageUp or PageDown
    just after the first hits arrived (the list was empty, so 0 rows high) raised
    KeyError and ended the app (found by tests/ui/test_fuzz_keys.py). The key then
    does nothing, as it does on an empty list.
    """

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            return


class BindingCommands(Provider):
    """Offers the bindings active on the current screen as commands."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        commands = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.id in seen or not binding.description or not active.enabled:
                continue
            seen.add(binding.id or binding.action)
            name = f"{binding.description} ({self.app.get_key_display(binding.with_key(key))})"
            commands.append((name, binding.tooltip, active.node, binding.action))
        return sorted(commands)

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        for name, help_text, node, action in self._commands():
            yield DiscoveryHit(
                visual_label(name),
                partial(self._run, node, action),
                text=name,
                help=visual_help(help_text),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, node, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    visual_prompt(matcher.highlight(name)),
                    partial(self._run, node, action),
                    text=name,
                    help=visual_help(help_text),
                )


class MarkCommands(Provider):
    """Offers each mark of the document (`m` + letter) as a place to go to."""

    def _commands(self) -> list[tuple[Text, str]]:
        from tuireader.ui.screens.reader import ReaderScreen  # the palette's caller

        screen = self.screen
        if not isinstance(screen, ReaderScreen):
            return []
        # The section's title is Arabic as often as not: the entry is laid out whole
        # (shaped, reordered) and matched on that visual text.
        return [
            (screen.place_label(f"Go to mark {name}: ", offset), name)
            for name, offset in sorted(screen.marks.items())
        ]

    def _go(self, name: str) -> None:
        from tuireader.ui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen):
            self.screen.go_to_mark(name)

    async def discover(self) -> Hits:
        for title, name in self._commands():
            yield DiscoveryHit(
                title, partial(self._go, name), text=title.plain, help=f"'{name} in the reader"
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, name in self._commands():
            score = matcher.match(title.plain)
            if score > 0:
                yield Hit(score, title, partial(self._go, name), text=title.plain, help=f"'{name}")


def visual_prompt(prompt: Content) -> Text:
    """A palette entry in visual order, the matched letters still highlighted (their
    styles follow the characters through `visual_label`)."""
    spans = [
        Span(
            span.start,
            span.end,
            span.style if isinstance(span.style, str) else span.style.rich_style,
        )
        for span in prompt.spans
    ]
    return visual_label(Text(prompt.plain, spans=spans))


def visual_help(help_text: str) -> str:
    """A palette entry's help line in visual order; Textual reads it as markup, so any
    "[" is escaped."""
    return escape(visual_label(help_text).plain)
