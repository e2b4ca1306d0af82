"""Web pages by URL: fetched once with httpx, kept as a snapshot, read like a file.

Notes anchor to offsets in a text; a live page changes under them. So a page is fetched
once and kept in the data folder (`pages/<key>/`: the body as received, named by its
kind, and `source.json` with the URL, the final URL after redirects, the content type
and the fetch time). Opening the URL again reads the snapshot, offline too; `--refresh`
fetches it anew (the notes then re-anchor as they do after any edit). The snapshot's
`page.*` file is an ordinary document path: its notes file sits beside it, and the
loader learns the URL and the charset from `source.json` (`text.snapshots`).

What a fetch accepts, and the one line it says otherwise (`FetchError`):
- http and https only, TLS verified (httpx's default, never turned off);
- at most `MAX_REDIRECTS` redirects, each to http(s);
- a connect/read timeout, and a deadline for the whole body (a server that drips a
  byte a second does not hold the reader for ever);
- at most `MAX_BYTES` after decompression: the body is read raw and inflated here with
  a bounded output, so a gzip bomb costs at most one chunk past the cap, never the
  expansion of a whole chunk (httpx's own decoder inflates each chunk whole);
- a document kind we read: HTML, plain text, Markdown, Word or EPUB.

httpx is imported on the first fetch only: reading a file never pays for it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.text.formats import MEDIA_TYPES, Format, detect_format, parse_content_type
from tuireader.text.loading import LoadError
from tuireader.text.sanitize import terminal_safe
from tuireader.text.snapshots import (
    SOURCE_FILE,
    PageSource,
    find_snapshot,
    snapshot_folder,
)

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 20 * 1024 * 1024
"""The largest body kept, after decompression: far above any article."""
MAX_REDIRECTS = 5
TIMEOUT = 15.0
"""Seconds to connect, and between two reads of the body."""
DEADLINE = 60.0
"""Seconds for the whole body."""
_CHUNK = 64 * 1024

_SUFFIXES = {
    Format.PLAIN: ".txt",
    Format.MARKDOWN: ".md",
    Format.HTML: ".html",
    Format.DOCX: ".docx",
    Format.EPUB: ".epub",
}
"""The snapshot's page file is named for its format, for the user's sake: the loader
reads the format and charset from `source.json`'s content type."""


class FetchError(LoadError):
    """A page could not be fetched: one line naming the URL and what went wrong."""


Progress = Callable[[int, int | None], object]
"""Called as the body arrives: bytes so far, and the announced length if any."""


def open_url(
    url: str,
    data_dir: Path,
    *,
    refresh: bool = False,
    progress: Progress | None = None,
    timeout: float = TIMEOUT,
    deadline: float = DEADLINE,
) -> Path:
    """The page file of a URL's snapshot: the kept one, or a new fetch.

    Args:
        url: An http(s) URL.
        data_dir: The data folder (`pages/` goes inside).
        refresh: Fetch even when a snapshot exists (it is replaced only on success).
        progress: Told of the bytes as they arrive.
        timeout: Seconds to connect and between reads.
        deadline: Seconds for the whole body.

    Raises:
        FetchError: The URL is not http(s), or the fetch failed (one line).
    """
    check_url(url)
    if not refresh and (page := find_snapshot(data_dir, url)) is not None:
        return page
    final_url, content_type, body = fetch(
        url, progress=progress, timeout=timeout, deadline=deadline
    )
    return save_snapshot(data_dir, url, final_url, content_type, body)


def check_url(url: str) -> None:
    """Refuse what is not an http(s) URL with a host."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs can be opened")
    if not rest or rest.startswith(("/", "?", "#")):
        raise FetchError(f"{url}: no host in the URL")


def fetch(
    url: str,
    *,
    progress: Progress | None = None,
    timeout: float = TIMEOUT,
    deadline: float = DEADLINE,
) -> tuple[str, str | None, bytes]:
    """Fetch a page: (final URL, Content-Type, decompressed body).

    Raises:
        FetchError: For every failure, one line (see the module doc).
    """
    import httpx

    check_url(url)
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers={
                    "Accept-Encoding": "gzip, deflate",
                    "User-Agent": "tuireader (+https://github.com/tuireader)",
                },
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(f"{url}: HTTP {response.status_code} {reason}")
            content_type = response.headers.get("content-type")
            _check_kind(url, content_type)
            length = _announced_length(response)
            if length is not None and response.headers.get("content-encoding") in (
                None,
                "identity",
            ):
                _check_size(url, length)
            body = _read_body(url, response, length, progress, deadline)
            return str(response.url), content_type, body
    except httpx.InvalidURL as err:
        raise FetchError(f"{url}: not a valid URL ({_reason(err)})") from None
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out (no answer within {timeout:g} s)") from None
    except httpx.UnsupportedProtocol:
        raise FetchError(f"{url}: redirected to a URL that is not http(s)") from None
    except httpx.ConnectError as err:
        raise FetchError(f"{url}: cannot connect ({_reason(err)})") from None
    except httpx.HTTPError as err:
        raise FetchError(f"{url}: {_reason(err)}") from None


def save_snapshot(
    data_dir: Path, url: str, final_url: str, content_type: str | None, body: bytes
) -> Path:
    """Keep a fetched page; returns its page file. The old snapshot (if any) is replaced
    only now that the new one is whole: the page first, then `source.json`, each
    atomically.

    Raises:
        FetchError: The data folder cannot be written.
    """
    folder = snapshot_folder(data_dir, url)
    suffix = _SUFFIXES[detect_format(body, final_url, content_type)]
    source = PageSource(
        url=url,
        final_url=final_url,
        content_type=content_type,
        fetched=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        file=f"page{suffix}",
    )
    record = json.dumps(source._asdict(), ensure_ascii=False)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _replace(folder / source.file, body)
        _replace(folder / SOURCE_FILE, (record + "\n").encode("utf-8"))
    except OSError as err:
        raise FetchError(
            f"{url}: cannot keep the page in {folder} ({err.strerror or err})"
        ) from None
    return folder / source.file


def _check_kind(url: str, content_type: str | None) -> None:
    """Refuse a body we cannot read before downloading it. No type, or the catch-all
    `application/octet-stream`, is let through: the bytes are sniffed."""
    media = parse_content_type(content_type)
    if media is None or media.essence == "application/octet-stream":
        return
    if media.essence not in MEDIA_TYPES:
        raise FetchError(f"{url}: not a document we can read ({terminal_safe(media.essence)})")


def _announced_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _check_size(url: str, size: int) -> None:
    if size > MAX_BYTES:
        raise FetchError(f"{url}: too large (over {MAX_BYTES // (1024 * 1024)} MiB)")


def _read_body(
    url: str,
    response: httpx.Response,
    length: int | None,
    progress: Progress | None,
    deadline: float,
) -> bytes:
    encoding = (response.headers.get("content-encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding == "identity":
        inflater = None
    else:
        raise FetchError(f"{url}: unsupported content encoding {terminal_safe(encoding)}")
    parts: list[bytes] = []
    size = 0
    received = 0
    ends = time.monotonic() + deadline
    for chunk in response.iter_raw(_CHUNK):
        received += len(chunk)
        if inflater is None:
            pieces = [chunk]
        else:
            pieces = _inflate(url, inflater, chunk, MAX_BYTES - size)
        for piece in pieces:
            size += len(piece)
            _check_size(url, size)
            parts.append(piece)
        if progress is not None:
            progress(received, length)
        if time.monotonic() > ends:
            raise FetchError(f"{url}: too slow (the page did not arrive within {deadline:g} s)")
    if inflater is not None:
        parts.extend(_inflate(url, inflater, b"", MAX_BYTES - size, final=True))
        _check_size(url, sum(len(part) for part in parts))
    return b"".join(parts)


def _inflate(
    url: str, inflater: zlib._Decompress, data: bytes, room: int, *, final: bool = False
) -> list[bytes]:
    """Inflate with a bounded output: never more than `room` + one byte in memory."""
    pieces: list[bytes] = []
    try:
        while True:
            piece = inflater.decompress(data, room + 1)
            pieces.append(piece)
            room -= len(piece)
            if room < 0:
                raise FetchError(
                    f"{url}: too large (over {MAX_BYTES // (1024 * 1024)} MiB once decompressed)"
                )
            data = inflater.unconsumed_tail
            if not data:
                break
        if final:
            pieces.append(inflater.flush())
    except zlib.error:
        raise FetchError(f"{url}: the compressed body is corrupt") from None
    return pieces


def _replace(path: Path, content: bytes) -> None:
    """Write a file whole or not at all (temporary file, fsync, rename)."""
    import tempfile

    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        return "TLS certificate not trusted"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "unknown host"
    if "Connection refused" in text:
        return "connection refused"
    return text.splitlines()[0] if text else type(error).__name__
