"""Fixtures for every test."""

from __future__ import annotations
