"""Fixtures of the session library tests."""

import pytest

from desktop.library import Library


@pytest.fixture
def library(tmp_path):
    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()
