"""`tuireader serve`: the reader in a web browser, through textual-serve.

For colleagues whose terminal has no Arabic font: each browser tab that opens the page
starts its own `tuireader` process (textual-serve's model), drawn by xterm.js. The rows
it receives are the same visual, shaped rows a terminal gets, so the browser needs no
bidi of its own. The server binds to loopback unless told otherwise, and says so:
anyone who can reach it can read the articles and write notes as the user running it.
"""

from __future__ import annotations

import ipaddress
import logging
import shlex
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
_EXTERNAL_FONT = (
    '<link\n      rel="stylesheet"\n'
    '      href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n    />'
)


def serve_command(reader_args: Sequence[str]) -> str:
    """Return the shell command each browser session runs: this Python, this tuireader.

    `--bidi off`: the session's output is framed in textual-serve's packets, where a
    raw BDSM sequence would corrupt the stream, and xterm.js does no bidi of its own.
    """
    return shlex.join([sys.executable, "-m", "tuireader", *reader_args, "--bidi", "off"])


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_server(
    reader_args: Sequence[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    say: Callable[[str], None],
) -> int:
    """Serve the reader on `host:port` until interrupted; returns the exit status.

    Args:
        reader_args: The arguments of each session's `tuireader` (files, --notes …).
        say: Prints one line for the user (the CLI passes its sanitising printer).
    """
    # Imported here: aiohttp and textual-serve cost every other command nothing.
    from aiohttp import web
    from textual_serve.server import Server

    @web.middleware
    async def no_external_font(
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        response = await handler(request)
        if request.path == "/" and isinstance(response, web.Response) and response.text:
            # textual-serve's page asks Google for its font; the page works without it,
            # and a reader's page should not tell a third party who reads what.
            response.text = response.text.replace(_EXTERNAL_FONT, "")
        return response

    class _Server(Server):
        """textual-serve's server, quieter and with no request leaving the machine."""

        def initialize_logging(self) -> None:
            # Its Rich log would print the command line, file names and all, raw.
            logging.basicConfig(level=logging.WARNING, handlers=[_QuietHandler(say)])

        async def on_startup(self, app: web.Application) -> None:
            where = f"http://{_url_host(host)}:{port}/"
            say(f"serving tuireader on {where} (ctrl+c stops)")
            if is_loopback(host):
                say("only this machine can connect: --host 0.0.0.0 shares it on the network")
            else:
                say(
                    f"listening on {host}: anyone who can reach it can read these "
                    "articles and write notes as you"
                )

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(no_external_font)
            return app

    server = _Server(serve_command(reader_args), host=host, port=port, title="tuireader")
    try:
        server.serve()
    except OSError as error:
        say(f"tuireader: cannot serve on {host}:{port}: {error.strerror or error}")
        return 2
    return 0


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _QuietHandler(logging.Handler):
    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(level=logging.WARNING)
        self._say = say

    def emit(self, record: logging.LogRecord) -> None:
        self._say(f"tuireader serve: {record.getMessage()}")
