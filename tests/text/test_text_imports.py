"""Tests that the text layer stays a light, Textual-free core."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "tuireader.text.loading",
    "tuireader.text.structure",
    "tuireader.text.sentences",
    "tuireader.text.direction",
    "tuireader.text.markdown_blocks",
    "tuireader.text.formats",
    "tuireader.text.formats.plain",
    "tuireader.text.formats.html",
    "tuireader.text.formats.docx",
    "tuireader.text.formats.epub",
]


def _imported_after(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", MODULES)
def test_text_module_imports_neither_textual_nor_rich_beyond_cells(module: str) -> None:
    loaded = _imported_after(module)
    assert not {name for name in loaded if name.split(".")[0] == "textual"}
    # rich.cells pulls in private helpers (rich._unicode_data ...), nothing public.
    rich = {name for name in loaded if name.split(".")[0] == "rich" and "._" not in name}
    assert rich <= {"rich", "rich.cells"}


@pytest.mark.parametrize("module", MODULES)
def test_markdown_and_encoding_detection_are_imported_only_when_needed(module: str) -> None:
    loaded = _imported_after(module)
    assert "markdown_it" not in loaded
    assert "charset_normalizer" not in loaded
