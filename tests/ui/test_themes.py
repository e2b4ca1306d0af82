"""Tests for theme files: the bundled themes, validation, loading, and switching in an app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.theme import Theme
from textual.widgets import Static

import tuireader.ui.themes as themes_module
from tuireader.resources import data_dir
from tuireader.ui.themes import (
    READER_VARIABLE_DEFAULTS,
    ThemeFileError,
    load_themes,
    parse_theme_file,
    to_textual_theme,
)

BUNDLED = data_dir("themes")
BUNDLED_PATHS = sorted(BUNDLED.glob("*.yaml"))

_VALID = """\
name: test-theme
dark: true
primary: "#0178d4"
secondary: "#004578"
accent: "#ffa62b"
warning: "#ffa62b"
error: "#ba3c5b"
success: "#4ebf71"
foreground: "#e0e0e0"
background: "#1e1e1e"
surface: "#252525"
panel: "#303030"
"""


def _with(old: str, new: str) -> str:
    assert old in _VALID
    return _VALID.replace(old, new)


# (id, file text, a fragment the one-line message must contain)
_BAD_FILES = [
    ("bad-colour", _with('"#0178d4"', '"not-a-colour"'), "primary: 'not-a-colour' is not a colour"),
    ("unquoted-hex", _with('"#0178d4"', "#0178d4"), "primary has no value (quote hex colours"),
    ("missing-key", _with('panel: "#303030"\n', ""), "missing key(s): panel"),
    ("unknown-key", _VALID + "colour: red\n", "unknown key(s): colour"),
    ("not-a-mapping", "- tuireader-dark\n- tuireader-light\n", "expected a mapping"),
    ("empty-file", "", "expected a mapping of theme keys, got nothing"),
    ("invalid-yaml", _VALID + "variables: {border: [red\n", "invalid YAML:"),
    ("dark-not-a-bool", _with("dark: true", 'dark: "yes"'), "dark must be true or false"),
    ("name-not-kebab", _with("name: test-theme", "name: My Theme"), "name must be kebab-case"),
    ("variables-not-a-mapping", _VALID + "variables: [border]\n", "variables must be a mapping"),
    ("misspelt-variable", _VALID + "variables: {reader-heding: red}\n", "unknown variable"),
    ("variable-reference", _VALID + 'variables: {reader-hit: "$accent 40%"}\n', "one plain value"),
    ("bad-text-style", _VALID + "variables: {block-cursor-text-style: blinky}\n", "text style"),
    ("ansi-with-alpha", _VALID + 'variables: {reader-hit: "ansi_yellow 50%"}\n', "cannot take"),
]


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_folder_holds_dark_light_and_contrast_themes() -> None:
    names = {parse_theme_file(path).name for path in BUNDLED_PATHS}
    assert {"tuireader-dark", "tuireader-light", "tuireader-contrast"} <= names


@pytest.mark.parametrize("path", BUNDLED_PATHS, ids=lambda path: path.stem)
def test_bundled_theme_parses_and_converts_to_a_textual_theme(path: Path) -> None:
    theme = parse_theme_file(path)
    textual_theme = to_textual_theme(theme)
    assert textual_theme.name == theme.name == path.stem
    assert textual_theme.dark == theme.dark
    assert textual_theme.variables == dict(theme.variables)
    assert "primary" in textual_theme.to_color_system().generate()


@pytest.mark.parametrize("path", BUNDLED_PATHS, ids=lambda path: path.stem)
def test_bundled_theme_defines_every_reader_variable(path: Path) -> None:
    missing = READER_VARIABLE_DEFAULTS.keys() - parse_theme_file(path).variables.keys()
    assert not missing


def test_contrast_theme_uses_only_ansi_colours() -> None:
    theme = parse_theme_file(BUNDLED / "tuireader-contrast.yaml")
    colours = [
        theme.primary,
        theme.secondary,
        theme.accent,
        theme.warning,
        theme.error,
        theme.success,
        theme.foreground,
        theme.background,
        theme.surface,
        theme.panel,
        *(value for name, value in theme.variables.items() if not name.endswith("-style")),
    ]
    assert theme.ansi
    assert [colour for colour in colours if Color.parse(colour).ansi is None] == []


def test_reader_variable_defaults_pass_the_same_validation_as_a_theme_file(
    tmp_path: Path,
) -> None:
    lines = "".join(f'  {name}: "{value}"\n' for name, value in READER_VARIABLE_DEFAULTS.items())
    path = _write(tmp_path, "defaults.yaml", _VALID + "variables:\n" + lines)
    assert dict(parse_theme_file(path).variables) == READER_VARIABLE_DEFAULTS


@pytest.mark.parametrize(
    ("text", "fragment"), [c[1:] for c in _BAD_FILES], ids=[c[0] for c in _BAD_FILES]
)
def test_bad_theme_file_raises_one_line_error_naming_the_file(
    tmp_path: Path, text: str, fragment: str
) -> None:
    path = _write(tmp_path, "broken.yaml", text)
    with pytest.raises(ThemeFileError) as caught:
        parse_theme_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert fragment in message
    assert "\n" not in message
    assert caught.value.path == path


def test_file_that_is_not_utf8_is_reported_as_such(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(_VALID.encode() + "# caf\u00e9\n".encode("latin-1"))
    with pytest.raises(ThemeFileError, match="is not UTF-8 text"):
        parse_theme_file(path)


def test_load_themes_skips_each_bad_file_with_one_message_and_keeps_the_good(
    tmp_path: Path,
) -> None:
    for index, (case, text, _) in enumerate(_BAD_FILES):
        _write(tmp_path, f"{index:02}-{case}.yaml", text)
    _write(tmp_path, "zz-good.yaml", _VALID)
    _write(tmp_path, "notes.txt", "not a theme, not looked at")

    themes, problems = load_themes(tmp_path)

    assert [theme.name for theme in themes] == ["test-theme"]
    assert len(problems) == len(_BAD_FILES)
    for (case, _, fragment), problem in zip(_BAD_FILES, problems, strict=True):
        assert case in problem.split(": ", 1)[0]
        assert fragment in problem
        assert "\n" not in problem


def test_load_themes_keeps_the_first_of_two_files_with_one_name(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", _VALID)
    _write(tmp_path, "b.yml", _with('"#0178d4"', '"#ff0000"'))

    themes, problems = load_themes(tmp_path)

    assert [theme.primary for theme in themes] == ["#0178d4"]
    assert problems == [f"{tmp_path / 'b.yml'}: theme 'test-theme' is already defined by a.yaml"]


def test_load_themes_from_a_missing_folder_finds_nothing_and_complains_not(
    tmp_path: Path,
) -> None:
    assert load_themes(tmp_path / "no-such-folder") == ([], [])


def test_the_cache_gives_the_same_themes_and_problems_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, cache = tmp_path / "themes", tmp_path / "cache" / "themes.json"
    folder.mkdir()
    _write(folder, "a.yaml", _VALID)
    _write(folder, "b.yaml", _VALID + "variables: {reader-hit: red, border: blue}\n")
    first = load_themes(folder, cache)
    assert cache.exists()

    def no_parsing(path: Path) -> None:
        raise AssertionError(f"{path} was parsed although the cache matched")

    monkeypatch.setattr(themes_module, "parse_theme_file", no_parsing)
    assert load_themes(folder, cache) == first
    assert first[1] == [f"{folder / 'b.yaml'}: theme 'test-theme' is already defined by a.yaml"]


def test_an_edited_theme_file_is_parsed_again(tmp_path: Path) -> None:
    folder, cache = tmp_path / "themes", tmp_path / "themes.json"
    folder.mkdir()
    path = _write(folder, "a.yaml", _VALID)
    load_themes(folder, cache)
    path.write_text(_with('"#0178d4"', '"#ff0000"'), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))

    themes, _ = load_themes(folder, cache)

    assert [theme.primary for theme in themes] == ["#ff0000"]


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"key": 1}', b"\xff"])
def test_a_damaged_cache_is_ignored_and_replaced(tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "themes.json"
    expected = load_themes(BUNDLED)
    cache.write_bytes(content)

    assert load_themes(BUNDLED, cache) == expected
    assert load_themes(BUNDLED, cache) == expected
    assert cache.read_bytes() != content


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    assert load_themes(BUNDLED, blocker / "themes.json") == load_themes(BUNDLED)


def test_bundled_folder_loads_without_problems() -> None:
    themes, problems = load_themes(BUNDLED)
    assert problems == []
    assert [theme.name for theme in themes] == [path.stem for path in BUNDLED_PATHS]


class _ThemedApp(App[None]):
    """Registers themes and paints one probe per reader variable, so every one must parse."""

    CSS = "\n".join(f".{name} {{ color: ${name}; }}" for name in READER_VARIABLE_DEFAULTS)

    def __init__(self, themes: list[Theme]) -> None:
        super().__init__()
        for theme in themes:
            self.register_theme(theme)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(READER_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        for name in READER_VARIABLE_DEFAULTS:
            yield Static(name, classes=name)


async def test_app_switches_to_each_bundled_theme_and_sees_its_reader_variables() -> None:
    themes, _ = load_themes(BUNDLED)
    app = _ThemedApp(themes)
    async with app.run_test(size=(60, 20)) as pilot:
        for theme in themes:
            app.theme = theme.name
            await pilot.pause()
            variables = app.get_css_variables()
            for name in READER_VARIABLE_DEFAULTS:
                assert variables[name] == theme.variables[name]
                probe = app.query_one(f".{name}", Static)
                assert probe.styles.color == Color.parse(theme.variables[name])
            # ansi: true hands ANSI colours to the terminal instead of converting them.
            assert app.native_ansi_color == (theme.name == "tuireader-contrast")


@pytest.mark.parametrize("builtin", ["textual-dark", "textual-light", "ansi-dark"])
async def test_builtin_textual_theme_falls_back_to_reader_variable_defaults(builtin: str) -> None:
    app = _ThemedApp([])
    async with app.run_test(size=(60, 20)) as pilot:
        app.theme = builtin
        await pilot.pause()
        variables = app.get_css_variables()
        for name, default in READER_VARIABLE_DEFAULTS.items():
            assert variables[name] == default
        heading = app.query_one(".reader-heading", Static)
        assert heading.styles.color == Color.parse(READER_VARIABLE_DEFAULTS["reader-heading"])


async def test_a_theme_given_on_the_command_line_is_remembered(tmp_path: Path) -> None:
    """Issue 13: only a palette choice was remembered; `--theme NAME` is a choice too."""
    import json

    from tests.paths import SAMPLE
    from tuireader.ui.app import make_app
    from tuireader.ui.config import AppConfig

    config = AppConfig(
        config_dir=tmp_path / "config",
        state_dir=tmp_path / "state",
        data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache",
        theme="tuireader-light",
    )
    app = make_app(SAMPLE, tmp_path / "notes.yaml", config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
    settings = json.loads((tmp_path / "config" / "settings.json").read_text("utf-8"))
    assert settings["theme"] == "tuireader-light"
    again = make_app(SAMPLE, tmp_path / "notes.yaml", config._replace(theme=None))
    assert again.theme == "tuireader-light"
