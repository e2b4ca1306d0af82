"""The panes beside (or over) the reader's article: the outline and the notes panel.

Wide, they are sidebars; narrow, each is laid over the article when toggled on, one
at a time (see reader.tcss and notes_panel.tcss for the breakpoints).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuireader.ui.widgets.article_view import ArticleView
from tuireader.ui.widgets.outline import OutlinePanel

if TYPE_CHECKING:
    from textual.widget import Widget

    from tuireader.ui.screens.notes_flow import NotesFlow
    from tuireader.ui.screens.reader import ReaderScreen


class Panes:
    """Shows, hides and leaves the outline and the notes panel of one reader screen;
    leaving a pane gives the focus back to the article."""

    def __init__(self, screen: ReaderScreen, notes: NotesFlow) -> None:
        self._screen = screen
        self._notes = notes

    def _outline(self) -> OutlinePanel:
        return self._screen.query_one(OutlinePanel)

    def _back_to_article(self) -> None:
        self._screen.query_one(ArticleView).focus()

    def toggle_outline(self) -> None:
        """Show or hide the outline; shown, it takes the focus (issue 13: at 80 columns ↓
        still scrolled the article under it); hidden, it gives it back to the article."""
        outline = self._outline()
        outline.toggle_class("-toggled")
        if self.outline_shown():
            if self._screen.has_class("-narrow"):
                self._overlay_opened(outline)
            outline.focus()
        elif outline.has_focus:
            self._back_to_article()

    def outline_shown(self) -> bool:
        """True when the outline is on screen: a sidebar unless toggled off, at less
        than 100 columns an overlay when toggled on (see reader.tcss)."""
        toggled = self._outline().has_class("-toggled")
        return toggled if self._screen.has_class("-narrow") else not toggled

    def leave_outline(self) -> None:
        """Back to the article from the outline (Esc, or a section chosen): an
        overlay closes, a sidebar stays."""
        if self._screen.has_class("-narrow"):
            self._outline().remove_class("-toggled")
        self._back_to_article()

    def toggle_notes(self) -> None:
        """Show or hide the notes panel. Shown, its list takes the focus (issue 13:
        Enter did nothing until Tab Tab); hidden, the article gets it back."""
        panel = self._notes.panel or self._notes.mount_panel()
        panel.toggle_class("-toggled")
        if self.notes_panel_shown():
            if not self._screen.has_class("-full"):
                self._overlay_opened(panel)
            # After the refresh: the list is laid out (and can be focused) only then.
            self._screen.call_after_refresh(panel.focus_list)
        elif panel.has_focus_within:
            self._back_to_article()

    def notes_panel_shown(self) -> bool:
        """True when the panel is on screen: beside the article from 140 columns unless
        toggled off, laid over it below when toggled on (see notes_panel.tcss)."""
        panel = self._notes.panel
        if panel is None:
            return False
        toggled = panel.has_class("-toggled")
        return not toggled if self._screen.has_class("-full") else toggled

    def leave_notes_panel(self) -> None:
        panel = self._notes.panel
        if panel is not None and not self._screen.has_class("-full"):
            panel.remove_class("-toggled")  # an overlay: it closes
        self._back_to_article()

    def _overlay_opened(self, overlay: Widget) -> None:
        """One pane over the article at a time: the other overlay closes."""
        panel = self._notes.panel
        if overlay is panel:
            outline = self._outline()
            if self._screen.has_class("-narrow") and outline.has_class("-toggled"):
                outline.remove_class("-toggled")
        elif panel is not None and not self._screen.has_class("-full"):
            panel.remove_class("-toggled")
