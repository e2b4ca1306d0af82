"""The notes panel with many notes: filled in chunks, and a save redraws one entry."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from tests.ui.conftest import MakeReader
from tuireader.notes.codec import NotesCodec
from tuireader.notes.model import new_note
from tuireader.notes.schema import NotesFile
from tuireader.text.claims import iter_claims
from tuireader.text.structure import load_document
from tuireader.ui.widgets.notes_panel import NotesPanel

SENTENCE = "قال بوتين إن القمة كانت ناجحة وأضاف أن التعاون سيستمر."


async def test_many_notes_fill_the_panel_in_chunks_and_a_stance_redraws_in_place(
    make_reader: MakeReader, tmp_path: Path
) -> None:
    """Issue 8 (scale): 1,500 notes show at once without holding up the screen, every
    one arrives, and a stance set in review mode changes that entry alone."""
    count = 1_500
    article = tmp_path / "article.txt"
    article.write_text("عنوان\n\n" + "\n\n".join([SENTENCE] * count) + "\n", "utf-8")
    document = load_document(article)
    claims = list(iter_claims(document))[:count]
    notes = [new_note(document, c.start, c.end, author="analyst") for c in claims]
    notes_path = article.with_name(article.name + ".notes.yaml")
    notes_path.write_bytes(NotesCodec().encode(NotesFile(tuple(notes))))
    app = make_reader(article)
    async with app.run_test(size=(160, 50)) as pilot:
        panel = app.screen.query_one(NotesPanel)
        listing = panel.query_one(OptionList)
        while len(getattr(app.screen, "notes", ())) < count:
            await pilot.pause(0.01)
        assert 0 < listing.option_count < count  # the first chunk, the rest to follow
        while listing.option_count < count:
            await pilot.pause(0.02)
        assert panel.border_subtitle == str(count)
        cleared: list[str] = []
        clear_caches, clear_options = listing._clear_caches, listing.clear_options

        def spy_caches() -> None:
            cleared.append("heights")
            clear_caches()

        def spy_options() -> OptionList:
            cleared.append("options")
            return clear_options()

        listing._clear_caches = spy_caches  # type: ignore[method-assign]
        listing.clear_options = spy_options  # type: ignore[method-assign]
        await pilot.press("r", "1")
        while "supported" not in str(listing.get_option_at_index(0).prompt):
            await pilot.pause(0.02)
        assert listing.option_count == count
        assert cleared == []  # every option's height kept: nothing measured again
        assert "supported" not in str(listing.get_option_at_index(1).prompt)
