"""Zip containers (DOCX, EPUB) opened safely: corrupt files and zip bombs refused first."""

from __future__ import annotations

import io
import zipfile

from tuireader.text.loading import LoadError

MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""The most a document may unpack to, all members together. A novel's EPUB unpacks to
a few MB, a long report's DOCX to tens; a zip bomb declares gigabytes."""
MAX_MEMBERS = 10_000
"""The most files a container may hold (a book of a thousand chapters and images)."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def open_zip(data: bytes, name: str, kind: str) -> zipfile.ZipFile:
    """Open a document's zip container after checking its directory.

    The sizes checked are those the zip directory declares, before anything is
    unpacked: CPython's zipfile never inflates a member past its declared size (it
    stops there and reports a bad CRC), so the declared total bounds the memory a
    reader of the container can use.

    Args:
        data: The file's bytes.
        name: The file's name, for messages.
        kind: What the file should be, for messages: "Word document", "EPUB book".

    Returns:
        The open zip file.

    Raises:
        LoadError: It is encrypted, not a zip, corrupt, or unpacks too large.
    """
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise LoadError(f"{name}: password-protected (encrypted); save it without a password")
        raise LoadError(f"{name}: an old binary Office file (OLE), not a {kind}; save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        raise LoadError(f"{name}: not a valid {kind} (corrupt zip: {err})") from None
    try:
        _check_directory(members, name)
    except LoadError:
        archive.close()
        raise
    return archive


def _check_directory(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise LoadError(f"{name}: refused, {len(members)} files inside (at most {MAX_MEMBERS})")
    total = sum(member.file_size for member in members)
    if total > MAX_UNZIPPED_BYTES:
        raise LoadError(
            f"{name}: refused, unpacks to {total // 2**20} MiB "
            f"(at most {MAX_UNZIPPED_BYTES // 2**20} MiB): a zip bomb?"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise LoadError(f"{name}: password-protected (encrypted zip); save it without a password")


def corrupt(name: str, kind: str, err: BaseException) -> LoadError:
    """The one-line error for a container whose contents a reader could not parse."""
    detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return LoadError(f"{name}: not a valid {kind} ({detail[:200]})")
