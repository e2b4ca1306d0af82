"""Theme files: YAML in `themes/` validated into `ThemeFile`, converted to Textual's `Theme`.

Validated themes are kept in a JSON cache beside the other caches, keyed by the files'
sizes and times: a start whose theme files have not changed needs no YAML parser (its
import alone is a tenth of a bare Textual app's start-up).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

import textual
from textual.color import Color, ColorParseError
from textual.css.errors import DeclarationError
from textual.css.parse import parse_declarations
from textual.css.tokenizer import TokenError
from textual.design import ColorSystem
from textual.theme import Theme

import tuireader
from tuireader.notes.atomic import write_atomically

if TYPE_CHECKING:
    import yaml

READER_VARIABLE_DEFAULTS: dict[str, str] = {
    # Textual resolves no `$name` inside a variable's value (tried on 8.2: the CSS that uses
    # the variable fails to parse), so these are plain colours that read on both dark and
    # light backgrounds. The backgrounds carry alpha so they blend with whatever the theme's
    # background is; the foregrounds are mid-tones.
    "reader-heading": "#5f9ad3",
    "reader-title": "#d08a2e",
    "reader-muted": "#8a8a8a",
    "reader-hit": "#f0b429 40%",
    "reader-hit-current": "#f07f29 70%",
    "reader-hit-foreground": "auto 90%",
    "reader-cursor": "#5f9ad3 30%",
    "reader-cursor-foreground": "auto 90%",
    "stance-supported": "#43a047",
    "stance-disputed": "#e53935",
    "stance-unverified": "#f0a500",
    "stance-needs-source": "#d54fbd",
    "stance-opinion": "#6f7fe8",
}
"""Fallbacks for our CSS variables, so that a theme which leaves them out (Textual's
built-in themes, a user's partial file) still works: `App.get_theme_variable_defaults`."""

# Top-level keys of a theme file; the colours go straight to Textual's `ColorSystem`.
_REQUIRED_KEYS = (
    "name",
    "dark",
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
)
_OPTIONAL_KEYS = ("ansi", "variables")
_THEME_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A CSS value with alpha: "#81a1c1 35%". Textual silently drops the alpha of an ANSI colour.
_ALPHA_SUFFIX = re.compile(r"\s\d+(?:\.\d+)?%\s*$")


class ThemeFile(NamedTuple):
    """One validated theme file; colours are strings that `Color.parse` accepts.

    A NamedTuple like the core's small values (see `tuireader.text.document`)."""

    name: str
    """Theme name as `App.theme` takes it, kebab-case (Textual adds the class `-theme-NAME`)."""
    dark: bool
    """True for a dark theme: Textual derives shades and picks its ANSI palette from this."""
    primary: str
    secondary: str
    accent: str
    warning: str
    error: str
    success: str
    foreground: str
    background: str
    surface: str
    panel: str
    ansi: bool = False
    """Pass ANSI colours through to the terminal's own palette instead of converting to RGB."""
    variables: Mapping[str, str] = MappingProxyType({})
    """CSS variable overrides: Textual's own (`border-blurred`) and ours (`reader-hit`)."""


class ThemeFileError(ValueError):
    """A theme file that cannot be used, as one line naming the file and the problem."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = " ".join(problem.split())
        super().__init__(f"{path}: {self.problem}")


def parse_theme_file(path: Path) -> ThemeFile:
    """Read and validate one theme file.

    Raises:
        ThemeFileError: The file is unreadable, is not YAML, or breaks the schema.
    """
    import yaml  # Only when the cache misses: see the module's docstring.

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ThemeFileError(path, f"cannot read it ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ThemeFileError(path, "is not UTF-8 text") from error
    except yaml.YAMLError as error:
        raise ThemeFileError(path, f"invalid YAML: {_describe_yaml_error(error)}") from error
    try:
        return _theme_from_mapping(data)
    except _Invalid as error:
        raise ThemeFileError(path, str(error)) from None


def to_textual_theme(theme: ThemeFile) -> Theme:
    """The one place where our theme becomes Textual's."""
    return Theme(
        name=theme.name,
        primary=theme.primary,
        secondary=theme.secondary,
        accent=theme.accent,
        warning=theme.warning,
        error=theme.error,
        success=theme.success,
        foreground=theme.foreground,
        background=theme.background,
        surface=theme.surface,
        panel=theme.panel,
        dark=theme.dark,
        ansi=theme.ansi,
        variables=dict(theme.variables),
    )


def load_themes(folder: Path, cache_file: Path | None = None) -> tuple[list[Theme], list[str]]:
    """Load every `*.yaml` (and `*.yml`) theme in `folder`, in file-name order.

    A bad file never stops the others: it is skipped and reported. A missing folder holds
    no themes (a user's config folder need not exist).

    Args:
        folder: The theme files.
        cache_file: Where the validated themes are kept between starts; read when it
            matches the files, rewritten when it does not (None: always parse).

    Returns:
        The themes, and one line for each file that was skipped.
    """
    if not folder.exists():
        return [], []
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
        key = _cache_key(paths)
    except OSError as error:
        return [], [f"{folder}: cannot list theme files ({error.strerror or error})"]
    cached = _read_cache(cache_file, key) if cache_file else None
    if cached is not None:
        files, problems = cached
    else:
        files, problems = _parse_theme_files(paths)
        if cache_file:
            _write_cache(cache_file, key, files, problems)
    return [to_textual_theme(theme) for theme in files], problems


def _parse_theme_files(paths: list[Path]) -> tuple[list[ThemeFile], list[str]]:
    themes: list[ThemeFile] = []
    problems: list[str] = []
    first_file: dict[str, Path] = {}
    for path in paths:
        try:
            theme = parse_theme_file(path)
        except ThemeFileError as error:
            problems.append(str(error))
            continue
        if theme.name in first_file:
            # Registering both would let file order silently pick the winner.
            earlier = first_file[theme.name].name
            problems.append(f"{path}: theme {theme.name!r} is already defined by {earlier}")
            continue
        first_file[theme.name] = path
        themes.append(theme)
    return themes, problems


def _cache_key(paths: list[Path]) -> list[object]:
    """What the cached result depends on: the files, and the code that validated them."""
    files = [[str(p), (st := p.stat()).st_size, st.st_mtime_ns] for p in paths]
    # Validation asks Textual, and an upgrade rewrites Textual's folder. (Not
    # `textual.__version__`: it reads package metadata, which costs 10 ms.)
    textual_folder = Path(textual.__file__).parent
    return [tuireader.__version__, str(textual_folder), textual_folder.stat().st_mtime_ns, files]


def _read_cache(path: Path, key: list[object]) -> tuple[list[ThemeFile], list[str]] | None:
    """The cached themes and problems, or None when the cache is missing, stale or bad."""
    try:
        data = json.loads(path.read_bytes())
        if data["key"] != key:
            return None
        themes = [
            ThemeFile(**{**entry, "variables": MappingProxyType(dict(entry["variables"]))})
            for entry in data["themes"]
        ]
        problems = [str(problem) for problem in data["problems"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return themes, problems


def _write_cache(
    path: Path, key: list[object], themes: list[ThemeFile], problems: list[str]
) -> None:
    """Keep the result for the next start; a cache that cannot be written is no loss."""
    entries = [theme._asdict() | {"variables": dict(theme.variables)} for theme in themes]
    content = json.dumps({"key": key, "themes": entries, "problems": problems}, indent=1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content.encode("utf-8"))
    except OSError:
        pass


class _Invalid(Exception):
    """A schema problem, before we know which file to blame."""


def _theme_from_mapping(data: object) -> ThemeFile:
    if not isinstance(data, dict):
        raise _Invalid(f"expected a mapping of theme keys, got {_kind(data)}")
    unknown = sorted(str(key) for key in data if key not in (*_REQUIRED_KEYS, *_OPTIONAL_KEYS))
    if unknown:
        raise _Invalid(f"unknown key(s): {', '.join(unknown)}")
    missing = [key for key in _REQUIRED_KEYS if key not in data]
    if missing:
        raise _Invalid(f"missing key(s): {', '.join(missing)}")
    name = data["name"]
    if not isinstance(name, str) or not _THEME_NAME.fullmatch(name):
        raise _Invalid(f"name must be kebab-case like 'my-theme', got {name!r}")
    return ThemeFile(
        name=name,
        dark=_flag("dark", data["dark"]),
        primary=_colour("primary", data["primary"]),
        secondary=_colour("secondary", data["secondary"]),
        accent=_colour("accent", data["accent"]),
        warning=_colour("warning", data["warning"]),
        error=_colour("error", data["error"]),
        success=_colour("success", data["success"]),
        foreground=_colour("foreground", data["foreground"]),
        background=_colour("background", data["background"]),
        surface=_colour("surface", data["surface"]),
        panel=_colour("panel", data["panel"]),
        ansi=_flag("ansi", data.get("ansi", False)),
        variables=MappingProxyType(_variables(data.get("variables", {}))),
    )


def _flag(key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{key} must be true or false, got {value!r}")
    return value


def _colour(key: str, value: object) -> str:
    if value is None:
        # The usual cause: an unquoted `#rrggbb` is a YAML comment.
        raise _Invalid(f'{key} has no value (quote hex colours: "#rrggbb")')
    if not isinstance(value, str):
        raise _Invalid(f"{key} must be a colour string, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise _Invalid(f"{key}: {value!r} is not a colour") from None
    return value


def _variables(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Invalid(f"variables must be a mapping, got {_kind(value)}")
    known = _known_variable_names()
    variables: dict[str, str] = {}
    for name, css in value.items():
        if not isinstance(name, str) or name not in known:
            raise _Invalid(f"unknown variable {name!r}")
        if css is None:
            raise _Invalid(f'variable {name} has no value (quote hex colours: "#rrggbb")')
        if not isinstance(css, str):
            raise _Invalid(f"variable {name} must be a string, got {css!r}")
        _check_css_value(name, css)
        variables[name] = css
    return variables


def _check_css_value(name: str, css: str) -> None:
    """Check `css` the way Textual will read it: spliced into a declaration."""
    if any(char in css for char in ";{}$\n"):
        # Textual splices the text into its stylesheet and resolves no `$name` there.
        raise _Invalid(f"variable {name}: {css!r} must be one plain value")
    is_style = name.endswith("-style")
    css_property = "text-style" if is_style else "color"
    try:
        styles = parse_declarations(f"{css_property}: {css};", ("", ""))
    except (DeclarationError, TokenError):
        kind = "text style (e.g. 'bold', 'none')" if is_style else "colour"
        raise _Invalid(f"variable {name}: {css!r} is not a {kind}") from None
    if not is_style and styles.color.ansi is not None and _ALPHA_SUFFIX.search(css):
        raise _Invalid(f"variable {name}: {css!r}: ANSI colours cannot take an alpha")


@cache
def _known_variable_names() -> frozenset[str]:
    # Whatever Textual's ColorSystem generates is what a theme may override; the ANSI
    # branch has a few names of its own.
    textual_names = {
        *ColorSystem("#000000").generate(),
        *ColorSystem("ansi_black", ansi=True).generate(),
    }
    return frozenset(textual_names | READER_VARIABLE_DEFAULTS.keys())


def _describe_yaml_error(error: yaml.YAMLError) -> str:
    import yaml

    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        return f"{error.problem} (line {mark.line + 1}, column {mark.column + 1})"
    return str(error)


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
