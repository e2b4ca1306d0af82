"""`python -m tuireader` runs the command line."""

from __future__ import annotations

from tuireader.cli import main

raise SystemExit(main())
