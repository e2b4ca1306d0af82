"""The app's focus when a browser page (textual-serve) blurs and focuses it."""

from __future__ import annotations

from textual import events

from tests.ui.conftest import MakeReader
from tuireader.ui.widgets.article_view import ArticleView


async def test_article_takes_the_focus_back_when_the_app_is_focused_with_nothing_focused(
    make_reader: MakeReader,
) -> None:
    """A page focused before its session started blurs the app first: Textual restores
    no widget afterwards, and every key of the article was dead in the browser."""
    app = make_reader()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.set_focus(None)
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert app.screen.focused is None
        app.post_message(events.AppFocus())
        await pilot.pause()
        article = app.screen.query_one(ArticleView)
        assert app.screen.focused is article
        await pilot.press("G")
        assert article.scroll_y == article.max_scroll_y > 0
