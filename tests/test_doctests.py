"""The examples in the docstrings are true (one doctest per public helper)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cchc_extract

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(cchc_extract.__path__, "cchc_extract.")
    if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
