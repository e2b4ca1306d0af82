"""The `tuireader` command: the reader, and `render`, `outline` and `notes` for scripts."""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

# The collector is off while the modules below load (they allocate tens of thousands
# of objects and free next to none, so its passes are wasted work before the first
# frame, ~2 ms) and back on as it was; `main` turns it off again for the reader.
_COLLECTING = gc.isenabled()
gc.disable()

from tuireader import __version__  # noqa: E402
from tuireader.bidi.layout import LayoutOptions, layout_paragraph  # noqa: E402
from tuireader.bidi.levels import BidiEngineError  # noqa: E402
from tuireader.resources import sample_article  # noqa: E402
from tuireader.text.document import STDIN_NAME, Direction, Document  # noqa: E402
from tuireader.text.loading import LoadError, decode_text  # noqa: E402
from tuireader.text.sanitize import escape_json, terminal_safe  # noqa: E402
from tuireader.text.structure import load_document, parse_lines  # noqa: E402

if _COLLECTING:
    gc.enable()

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from tuireader.notes.store import NotesStore

EXIT_USER_ERROR = 2
EXIT_INTERNAL_ERROR = 70
"""EX_SOFTWARE: a bug of ours, said in one line (the tests accept only 0 and 2)."""
SUBCOMMANDS = ("render", "outline", "notes", "serve")


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in SUBCOMMANDS:
            command = args.pop(0)
            return _COMMANDS[command](args)
        return _read(args)
    except (LoadError, UserError, BidiEngineError) as err:
        error(str(err))
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # `tuireader render | head`: the reader of our output left; that is fine.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001 - the last resort: one line, never a traceback
        error(f"internal error ({type(err).__name__}: {err}); please report it")
        return EXIT_INTERNAL_ERROR


def emit(text: str, stream: SupportsWrite[str] | None = None) -> None:
    """Write text for a terminal: the one way anything of ours reaches stdout or stderr.

    Every byte goes through `terminal_safe`, whatever it holds (a file name, a note, a
    message, a report): a control character shows as a placeholder and never acts.
    The output is the same on a terminal and in a pipe; JSON and YAML are already
    escaped so that this changes nothing in them (their data stays exact).

    Args:
        text: What to write, newlines included.
        stream: sys.stdout by default.
    """
    out = sys.stdout if stream is None else stream
    safe = terminal_safe(text)
    try:
        out.write(safe)
    except UnicodeEncodeError:
        # A terminal that is not UTF-8 (LANG=C without coercion): "?" beats a crash.
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(safe.encode(encoding, "replace").decode(encoding))


def error(message: str) -> None:
    """Say one line on standard error, "tuireader: <message>"."""
    emit(f"tuireader: {terminal_safe(message, one_line=True)}\n", sys.stderr)
    sys.stderr.flush()


class _Parser(argparse.ArgumentParser):
    """argparse whose help, usage and errors go through `emit`: they quote what the
    user typed ("invalid choice: '<ESC>]52;…'"), which may be anything."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            emit(message, file if file is not None else sys.stderr)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        emit(f"{self.prog}: error: {terminal_safe(message, one_line=True)}\n", sys.stderr)
        sys.exit(EXIT_USER_ERROR)


def _read(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader",
        description="Read an article in the terminal: correct bidi, joined Arabic letters, "
        "an outline and claim notes. Subcommands: render, outline, notes (see "
        "`tuireader render --help`).",
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="the article: text, Markdown, HTML, DOCX or EPUB; an http(s) URL; - or a "
        "pipe: standard input (default: the bundled sample); several, or a folder, open a "
        "library",
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="a library: scan sub-folders too"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="fetch a URL again instead of its snapshot"
    )
    parser.add_argument("--notes", metavar="PATH", help="the notes file to use (one article)")
    parser.add_argument("--theme", metavar="NAME", help="a theme name (remembered)")
    parser.add_argument(
        "--bidi",
        choices=["app", "terminal", "off"],
        default="app",
        help="who reorders: app (default), terminal (send logical text), off",
    )
    parser.add_argument("--author", metavar="NAME", help="the name on new notes (default: $USER)")
    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    options = parser.parse_args(args)
    target: str | Path | BinaryIO | list[Path | str]
    if len(options.files) == 1 and _is_url(options.files[0]):
        # Fetched by the app's worker, behind a loading view with its progress (a
        # snapshot kept from before is read the same way, offline).
        from tuireader.text.fetch import check_url

        check_url(options.files[0])
        target = options.files[0]
    elif len(options.files) <= 1 and _stdin_is_the_document(
        options.files[0] if options.files else None
    ):
        # Like less: the document from the pipe, the keys from the terminal. The app
        # reads the pipe on a worker behind its loading view, as it fetches a URL.
        target = _pipe_from_stdin()
    else:
        target = _library_or_file(options.files, options.recursive)
    if isinstance(target, list) and options.notes:
        raise UserError("--notes names the notes file of one article, not of a library")
    # Start-up allocates a lot and frees next to nothing (Textual's import alone, then
    # ours): the collector's passes over it are wasted work before the first frame
    # (~10 ms). run_app turns it back on once the frame is out.
    gc.disable()
    try:
        from tuireader.ui.app import run_app

        return run_app(
            target,
            notes_path=options.notes,
            theme=options.theme,
            bidi=options.bidi,
            author=options.author,
            refresh=options.refresh,
        )
    finally:
        gc.enable()


def _is_url(argument: str) -> bool:
    from tuireader.text.snapshots import is_url

    return is_url(argument)


def _article_path(file: str | None, *, fetch: bool = True, refresh: bool = False) -> Path:
    """The file to read for an argument: the sample, a file, or a URL's snapshot.

    A URL is fetched when it has no snapshot yet (or `refresh`), unless `fetch` is
    False: then the snapshot must exist (`tuireader notes URL` reports on what was read).
    """
    if not file:
        return sample_article()
    from tuireader.text.snapshots import is_url

    if not is_url(file):
        return Path(file)
    from tuireader.text.fetch import check_url, open_url
    from tuireader.text.snapshots import find_snapshot

    data_dir = _data_dir()
    if not fetch:
        check_url(file)
        page = find_snapshot(data_dir, file)
        if page is None:
            raise UserError(f"{file}: never opened, so no snapshot (run `tuireader {file}`)")
        return page
    progress = _fetch_progress(file)
    try:
        return open_url(file, data_dir, refresh=refresh, progress=progress)
    finally:
        if progress is not None:
            sys.stderr.write("\r\x1b[K")  # the reader (or the error) takes the line
            sys.stderr.flush()


def _data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("tuireader"))


def _fetch_progress(url: str) -> Callable[[int, int | None], None] | None:
    """A one-line progress indicator on stderr while a page arrives, when stderr is a
    terminal (the reader cannot start before the page is here)."""
    stream = sys.stderr
    if not stream.isatty():
        return None
    shown = terminal_safe(url, one_line=True)
    if len(shown) > 50:
        shown = shown[:49] + "…"

    def progress(received: int, length: int | None) -> None:
        total = f" of {length / 1e6:.1f} MB" if length else ""
        stream.write(f"\r\x1b[Kfetching {shown}: {received / 1e6:.1f} MB{total}")
        stream.flush()

    stream.write(f"fetching {shown}…")
    stream.flush()
    return progress


def _stdin_is_the_document(file: str | None) -> bool:
    """`tuireader -`, or no file and a pipe or file redirected to standard input."""
    if file is not None:
        return file == "-"
    if os.environ.get("TEXTUAL_DRIVER"):
        # textual-serve runs each session with its web driver, whose protocol arrives
        # on standard input (a pipe): that pipe is not a document.
        return False
    try:
        mode = os.fstat(0).st_mode
    except (OSError, ValueError):
        return False
    # Not a terminal, not /dev/null (a character device): what a script runs us with.
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _read_stdin() -> bytes:
    from tuireader.text.sources import read_stream

    # Unbuffered: on a terminal, ctrl+D ends one read only, and a buffered reader's
    # next read would wait for a second one.
    with open(0, "rb", buffering=0, closefd=False) as stdin:
        return read_stream(stdin, STDIN_NAME)


def _pipe_from_stdin() -> BinaryIO:
    """Keep the document's pipe on a new descriptor, and make the controlling terminal
    standard input again, as less does; the app reads the pipe on a worker.

    Textual's Linux driver reads keys from `sys.__stdin__.fileno()` (fd 0) and sets raw
    mode on it, when the app starts: pointing fd 0 at /dev/tty before then is enough.
    `tuireader -` typed at a terminal reads it to ctrl+D first (the keys come from it
    afterwards: the app cannot share it with a reader of the document).
    """
    try:
        tty = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
    except OSError:
        raise UserError(
            "standard input is the document, and there is no terminal for the keys "
            "(in a script, use `tuireader render -` or `tuireader outline -`)"
        ) from None
    try:
        if os.isatty(0):
            import io

            return io.BytesIO(_read_stdin())
        try:
            kept = os.dup(0)  # not inherited by children (PEP 446)
        except OSError as err:
            raise LoadError(f"{STDIN_NAME}: cannot read ({err.strerror or err})") from None
        os.dup2(tty, 0)
    finally:
        os.close(tty)
    return open(kept, "rb", buffering=0)  # the app reads it to its end and closes it


def _library_or_file(files: Sequence[str], recursive: bool) -> Path | list[Path | str]:
    """What the reader opens: one file's path, or a library's documents, where a URL
    stays a URL (str): the library lists it at once and fetches it when it is opened,
    so a slow or dead server holds neither the start nor the other documents."""
    if len(files) <= 1 and not (files and Path(files[0]).is_dir()):
        return _article_path(files[0] if files else None)
    from tuireader.text.snapshots import is_url
    from tuireader.text.sources import DOCUMENT_SUFFIXES, find_documents

    found: list[Path | str] = []
    seen: set[Path | str] = set()
    for file in files:
        if is_url(file):
            from tuireader.text.fetch import check_url  # only when there is a URL

            check_url(file)  # a scheme we do not fetch is refused now, in one line
            each: list[Path | str] = [file]
        else:
            each = list(find_documents([file], recursive=recursive))
        for document in each:
            key = document if isinstance(document, str) else document.absolute()
            if key not in seen:
                seen.add(key)
                found.append(document)
    if not found:
        kinds = ", ".join(DOCUMENT_SUFFIXES)
        raise UserError(f"no documents ({kinds}) in {' '.join(files)}")
    return found


def _documents(
    files: Sequence[str], recursive: bool, *, fetch: bool = True, refresh: bool = False
) -> Path | list[Path]:
    """One article's path, or a library's, for the reports (`notes`): several
    arguments, or a folder. A URL stands for its snapshot (fetched first unless `fetch`
    is False, see `_article_path`); the reader lists URLs as such
    (`_library_or_file`)."""
    if len(files) <= 1 and not (files and Path(files[0]).is_dir()):
        return _article_path(files[0] if files else None, fetch=fetch, refresh=refresh)
    from tuireader.text.snapshots import is_url
    from tuireader.text.sources import DOCUMENT_SUFFIXES, find_documents

    files = [
        str(_article_path(file, fetch=fetch, refresh=refresh)) if is_url(file) else file
        for file in files
    ]
    paths = find_documents(files, recursive=recursive)
    if not paths:
        kinds = ", ".join(DOCUMENT_SUFFIXES)
        raise UserError(f"no documents ({kinds}) in {' '.join(files)}")
    return paths


def _open(file: str | None, *, lines: bool = False, fetch: bool = True) -> Document:
    """The document a subcommand works on; `-` is standard input.

    Args:
        file: The argument: a path, a URL, "-", or None for the sample.
        lines: For `render -`: plain text on standard input is one paragraph per line,
            as fribidi reads it (web pages, Word and EPUB are read as such).
        fetch: Fetch a URL that has no snapshot yet (False: its snapshot must exist).
    """
    if file == "-":
        from tuireader.text.formats import Format, detect_format, read_document

        data = _read_stdin()
        if lines and detect_format(data, STDIN_NAME) is Format.PLAIN:
            return parse_lines(decode_text(data, STDIN_NAME), STDIN_NAME)
        return read_document(data, name=STDIN_NAME)
    return load_document(_article_path(file, fetch=fetch))


def _render(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader render",
        description="Print the rows the reader shows, in visual order: like fribidi, but "
        "correct on wrapped paragraphs. `-` reads standard input: plain text one paragraph "
        "per line, a web page, Word or EPUB document as such.",
    )
    parser.add_argument("file", nargs="?", help="the article, or - (default: the sample)")
    parser.add_argument(
        "--width", type=int, help="cells per row (default: the terminal's); 0: no wrapping"
    )
    parser.add_argument("--base", choices=["auto", "ltr", "rtl"], default="auto")
    parser.add_argument("--no-shape", action="store_true", help="do not join Arabic letters")
    parser.add_argument("--no-harakat", action="store_true", help="drop Arabic diacritics")
    parser.add_argument(
        "--show-hidden",
        action="store_true",
        help="show invisible characters (bidi controls, zero-width, TAG) as marks",
    )
    parser.add_argument("--json", action="store_true", help="paragraphs, rows and offsets")
    options = parser.parse_args(args)
    width = options.width if options.width is not None else shutil.get_terminal_size().columns
    if width < 0:
        raise UserError("--width must be 0 (no wrapping) or more")
    layout = LayoutOptions(
        join=not options.no_shape,
        harakat=not options.no_harakat,
        direction=None if options.base == "auto" else Direction(options.base),
        show_hidden=options.show_hidden,
    )
    document = _open(options.file, lines=True)
    for notice in document.notices:
        error(f"{document.name}: {notice}")
    if options.json:
        _write_lines(_render_json(document, width, layout))
    else:
        _write_lines(_render_rows(document, width, layout))
    return 0


def _render_rows(document: Document, width: int, layout: LayoutOptions) -> Iterator[str]:
    for paragraph in document.paragraphs:
        if paragraph.index:
            yield ""
        for row in layout_paragraph(paragraph, width, layout):
            yield row.text


def _render_json(document: Document, width: int, layout: LayoutOptions) -> Iterator[str]:
    """The JSON of `render --json`, a paragraph at a time: one 16 MB line is a thousand
    paragraphs, and a single `json.dumps` of all their rows peaked at 0.5 GB (issue 9).
    The text is the same as `json.dumps(whole, ensure_ascii=False, indent=2)`."""
    head = json.dumps({"name": document.name, "width": width}, ensure_ascii=False, indent=2)
    if not document.paragraphs:
        yield head[:-2] + ',\n  "paragraphs": []\n}'
        return
    yield head[:-2] + ',\n  "paragraphs": ['
    last = len(document.paragraphs) - 1
    for paragraph in document.paragraphs:
        item = {
            "index": paragraph.index,
            "kind": paragraph.kind.value,
            "direction": (layout.direction or paragraph.direction).value,
            "start": paragraph.start,
            "end": paragraph.end,
            "text": paragraph.text,
            "lines": [
                {"start": row.start, "end": row.end, "indent": row.indent, "text": row.text}
                for row in layout_paragraph(paragraph, width, layout)
            ],
        }
        # JSON strings hold no raw line break: indenting every line is safe.
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield "    " + text + ("," if paragraph.index < last else "")
    yield "  ]\n}"


def _outline(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader outline",
        description="Print the title, metadata and section outline of an article.",
    )
    parser.add_argument("file", nargs="?", help="the article, or - (default: the sample)")
    parser.add_argument(
        "--json", action="store_true", help="the whole structure, sentences included"
    )
    options = parser.parse_args(args)
    document = _open(options.file)
    if options.json:
        _print_json(_outline_json(document))
        return 0
    lines = [document.title or f"({document.name}: no title)"]
    lines += [f"  {line}" for line in document.metadata]
    lines += [f"{'  ' * section.level}- {section.title}" for section in document.sections]
    lines += [f"({notice})" for notice in document.notices]
    _write_lines(lines)
    return 0


def _outline_json(document: Document) -> dict[str, Any]:
    from tuireader.text.sentences import split_sentences

    return {
        "name": document.name,
        "title": document.title,
        "metadata": list(document.metadata),
        "direction": document.direction.value,
        "encoding": document.encoding,
        "notices": list(document.notices),
        "sections": [
            {
                "title": section.title,
                "level": section.level,
                "paragraph": section.paragraph,
                "start": section.start,
                "end": section.end,
            }
            for section in document.sections
        ],
        "paragraphs": [
            {
                "index": paragraph.index,
                "kind": paragraph.kind.value,
                "level": paragraph.level,
                "direction": paragraph.direction.value,
                "start": paragraph.start,
                "end": paragraph.end,
                "sentences": [
                    {
                        "start": sentence.start,
                        "end": sentence.end,
                        "text": document.text[sentence.start : sentence.end],
                    }
                    for sentence in split_sentences(paragraph)
                ],
            }
            for paragraph in document.paragraphs
        ],
    }


NOTES_ACTIONS = ("merge", "git-setup", "import")
"""`tuireader notes ACTION …`; an article named like one is opened as `./merge`."""


def _notes(args: list[str]) -> int:
    if args and args[0] in NOTES_ACTIONS:
        action = args.pop(0)
        return _NOTES_ACTIONS[action](args)
    parser = _Parser(
        prog="tuireader notes",
        description="Print the notes of an article, anchored in its current text: the "
        "notes file as YAML or JSON, a Markdown review report grouped by section, W3C Web "
        "Annotations (JSON-LD) or CSV. Also: `notes merge` (git's merge driver), "
        "`notes git-setup`, `notes import`.",
    )
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="the article, a URL read before, or - for standard input (default: the "
        "sample); several, or a folder, for a report across documents",
    )
    parser.add_argument("-r", "--recursive", action="store_true", help="scan sub-folders too")
    parser.add_argument("--notes", metavar="PATH", help="the notes file (default: beside it)")
    parser.add_argument(
        "--format", choices=["yaml", "json", "markdown", "w3c", "csv"], default="markdown"
    )
    parser.add_argument(
        "--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark (Excel)"
    )
    options = parser.parse_args(args)
    target = _documents(options.files, options.recursive, fetch=False)
    if not isinstance(target, Path):
        return _notes_across(target, options.format, options.notes)
    document, store = _notes_store(str(target), options.notes)
    if options.format == "w3c":
        from tuireader.notes.w3c import notes_to_w3c

        _print_json(notes_to_w3c(store.notes, source=_document_uri(document), title=document.title))
        return 0
    if options.format == "csv":
        from tuireader.notes.anchoring import anchor_notes
        from tuireader.notes.report import notes_csv

        text = notes_csv(anchor_notes(store.notes, document), document)
        _write_lines([("\ufeff" if options.bom else "") + text.rstrip("\n")])
        return 0
    from tuireader.notes.anchoring import anchor_notes
    from tuireader.notes.report import format_notes

    _write_lines([format_notes(anchor_notes(store.notes, document), document, options.format)])
    return 0


def _notes_across(paths: list[Path], fmt: str, notes: str | None) -> int:
    """`tuireader notes DIR_OR_FILES…`: one report across documents."""
    if notes:
        raise UserError("--notes names the notes file of one article, not of several")
    if fmt not in ("markdown", "json", "yaml"):
        raise UserError(f"--format {fmt} takes one article; across documents: markdown, json, yaml")
    from tuireader.notes.library import collect_notes, format_collection

    problems: list[str] = []
    collection = list(collect_notes(paths, _data_dir(), problems=problems))
    for problem in problems:
        error(f"skipped {problem}")
    _write_lines([format_collection(collection, fmt).rstrip("\n")])  # type: ignore[arg-type]
    return 0


def _notes_store(file: str | None, notes: str | None) -> tuple[Document, NotesStore]:
    """The article and its notes store, read-only unless the caller writes."""
    # Imported here: the other commands need no YAML.
    from tuireader.notes.store import NotesStore, default_notes_path
    from tuireader.text.document import text_sha256

    document = _open(file, fetch=False)
    path = (
        Path(notes)
        if notes
        else default_notes_path(document.path, text_sha256(document.text), data_dir=_data_dir())
    )
    store = NotesStore.open(path, document)
    if store.read_only_reason and path.exists() and not store.notes:
        raise UserError(f"{path}: {store.read_only_reason}")
    if not path.exists():
        error(f"no notes yet for {document.name} ({path})")
    return document, store


def _document_uri(document: Document) -> str:
    if document.url is not None:
        return document.url
    if document.path is None:
        return "urn:tuireader:stdin"
    return Path(document.path).resolve().as_uri()


def _notes_merge(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader notes merge",
        description="git's merge driver for notes files: a three-way merge by note and by "
        "field into OURS. Exit 0: clean; 1: conflicts recorded on notes (resolve them in "
        "the app); 2: refused, OURS untouched. Register it with `tuireader notes git-setup`.",
    )
    parser.add_argument("base", help="the common ancestor (git's %%O)")
    parser.add_argument("ours", help="our version, where the result goes (git's %%A)")
    parser.add_argument("theirs", help="their version (git's %%B)")
    parser.add_argument("path", nargs="?", help="the file's path in the tree (git's %%P)")
    options = parser.parse_args(args)
    from tuireader.notes.errors import NotesError
    from tuireader.notes.gitmerge import merge_notes_files

    name = options.path or options.ours
    try:
        outcome = merge_notes_files(
            Path(options.base), Path(options.ours), Path(options.theirs), name=name
        )
    except NotesError as err:
        raise UserError(f"notes merge refused: {err}") from err
    if outcome.conflicts:
        error(
            f"{name}: {outcome.conflicts} conflicting field(s) kept on the notes; "
            "open the article in tuireader to resolve them"
        )
        return 1
    return 0


def _notes_git_setup(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader notes git-setup",
        description="Register `tuireader notes merge` as git's merge driver for "
        "*.notes.yaml in the current repository (.gitattributes and .git/config).",
    )
    parser.parse_args(args)
    from tuireader.notes.errors import NotesError
    from tuireader.notes.gitmerge import register_driver

    try:
        done = register_driver(Path.cwd())
    except NotesError as err:
        raise UserError(str(err)) from err
    for line in done or ["the merge driver was registered already"]:
        error(line)
    return 0


def _notes_import(args: list[str]) -> int:
    parser = _Parser(
        prog="tuireader notes import",
        description="Import W3C Web Annotations (a collection, or a list as Hypothesis "
        "exports) into an article's notes: each is anchored by its selectors and merged "
        "by id; those not found are kept as orphans.",
    )
    parser.add_argument("file", help="the article")
    parser.add_argument("annotations", help="the JSON file of annotations")
    parser.add_argument("--notes", metavar="PATH", help="the notes file (default: beside it)")
    options = parser.parse_args(args)
    from tuireader.notes.errors import NotesError
    from tuireader.notes.w3c import import_annotations

    data = _read_json(Path(options.annotations))
    document, store = _notes_store(options.file, options.notes)
    try:
        added, merged, orphans, problems = import_annotations(store, document, data)
    except NotesError as err:
        raise UserError(f"{store.path}: nothing imported: {err}") from err
    for problem in problems:
        error(f"skipped {problem}")
    error(f"imported into {store.path}: {added} new, {merged} merged, {orphans} orphaned")
    return 0


def _read_json(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as err:
        raise UserError(f"{path}: {err.strerror or err}") from err
    if len(data) > MAX_IMPORT_BYTES:
        raise UserError(f"{path}: more than {MAX_IMPORT_BYTES // 2**20} MB")
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:
        raise UserError(f"{path}: not JSON ({err})") from err


MAX_IMPORT_BYTES = 20 * 2**20


_NOTES_ACTIONS: dict[str, Callable[[list[str]], int]] = {
    "merge": _notes_merge,
    "git-setup": _notes_git_setup,
    "import": _notes_import,
}


def _print_json(value: dict[str, Any]) -> None:
    # ensure_ascii=False: Arabic stays readable; json escapes C0, escape_json the rest
    # of what a terminal would act on (DEL, C1, bidi and TAG characters).
    _write_lines([escape_json(json.dumps(value, ensure_ascii=False, indent=2))])


def _write_lines(lines: Iterator[str] | list[str]) -> None:
    out = sys.stdout
    for line in lines:
        emit(line + "\n", out)
    out.flush()


def _serve(args: list[str]) -> int:
    from tuireader.serve import DEFAULT_HOST, DEFAULT_PORT, run_server

    parser = _Parser(
        prog="tuireader serve",
        description="Serve the reader to a web browser (textual-serve): each page opened "
        "runs its own session. Binds to 127.0.0.1 unless --host says otherwise.",
    )
    parser.add_argument("files", nargs="*", help="the article (default: the sample)")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--notes", metavar="PATH", help="the notes file to use")
    parser.add_argument("--author", metavar="NAME", help="the name on new notes")
    parser.add_argument("--theme", metavar="NAME", help="a theme name")
    options = parser.parse_args(args)
    if len(options.files) > 1:
        raise UserError("serve opens one article (a library of several comes later)")
    reader_args = []
    for file in options.files:
        path = _article_path(file)
        if not path.is_file():
            raise UserError(f"{file}: not a file")
        reader_args.append(str(path.resolve()))
    for flag in ("notes", "author", "theme"):
        value = getattr(options, flag)
        if value is not None:
            reader_args += [f"--{flag}", value]

    def say(line: str) -> None:
        emit(line + "\n", sys.stderr)
        sys.stderr.flush()

    return run_server(reader_args, host=options.host, port=options.port, say=say)


_COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "render": _render,
    "outline": _outline,
    "notes": _notes,
    "serve": _serve,
}
