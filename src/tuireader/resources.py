"""Where the bundled files are: the sample article and the theme files."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries them in the package (hatch force-include); an editable install or a
# checkout finds them at the top of the repository.
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parents[1])

SAMPLE_NAME = "000_b979987839cf76fb.txt"


def data_dir(name: str) -> Path:
    """The bundled folder `name` ("seeds" or "themes")."""
    for root in _CANDIDATES:
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def sample_article() -> Path:
    """The bundled sample article: the default document."""
    return data_dir("seeds") / SAMPLE_NAME


def is_bundled(path: str | None) -> bool:
    """True for a file that ships with tuireader (the sample): never write beside it."""
    if path is None:
        return False
    try:
        return Path(path).resolve().parent == data_dir("seeds").resolve()
    except FileNotFoundError:
        return False
