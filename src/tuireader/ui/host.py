"""What a reader screen may ask of the app it runs in, without importing the app.

Screens never import `tuireader.ui.app` (the import-linter contract "UI layers"): what
every document shares — the settings, the input histories — is reached through this
protocol, which `ReaderApp` satisfies. A document's own state is its `DocumentSession`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tuireader.ui.config import StateFile
    from tuireader.ui.history import InputHistories


class ReaderHost(Protocol):
    """The app's shared services, as the screens see them."""

    settings: StateFile
    """The remembered choices (`settings.json`)."""

    @property
    def histories(self) -> InputHistories:
        """The search line's, the notes filter's and the tags field's histories."""
        ...
