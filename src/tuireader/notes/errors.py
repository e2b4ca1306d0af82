"""The exceptions the notes package raises, one family for the UI to catch."""

from __future__ import annotations


class NotesError(Exception):
    """A notes or drafts file could not be read or written; the message is one line."""


class NotesReadOnly(NotesError):
    """A write was refused because the notes file must not be overwritten.

    The file did not parse, has the wrong shape, uses unsafe tags, was written by a
    newer tuireader, or cannot be written. The file on disk was not touched.
    """


class NotesLocked(NotesError):
    """Another session held the file's lock for longer than the timeout."""


class YamlRefused(Exception):
    """A YAML file was not read: too big, unreadable, not valid YAML, or unsafe.

    The message is one line, fit to show the user.
    """
