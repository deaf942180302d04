"""Locate files under the repository's resources/ folder (exercise library, sounds, stylesheet).

``resource_path(*parts)`` joins ``parts`` under resources/, found relative to this package
(works from a checkout and an editable install); it does not check that the file exists.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
"""The resources/ folder at the top of the repository."""


def resource_path(*parts: str) -> Path:
    """The path of ``resources/<parts...>``, e.g. ``resource_path("sounds", "rep.wav")``."""
    return RESOURCES_DIR.joinpath(*parts)
