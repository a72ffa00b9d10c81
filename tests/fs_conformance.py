"""pyfilesystem's own conformance suite, made runnable on every Python we support.

``fs.test.FSTestCases`` (fs 2.4.16) calls ``assertRaisesRegexp``, an alias that
``unittest`` removed in Python 3.12.  Mix :class:`FSConformance` in *before*
``FSTestCases`` to supply it; the suite itself runs unchanged::

    class TestMyFS(FSConformance, FSTestCases, unittest.TestCase):
        def make_fs(self):
            return MyFS()

This is a mixin rather than a ``TestCase`` so that importing it into a test
module does not make pytest collect (and fail) an abstract test class.
"""

from __future__ import annotations

import unittest
from typing import Any


class FSConformance:
    """Supplies the unittest aliases ``fs.test.FSTestCases`` still calls."""

    def assertRaisesRegexp(self, *args: Any, **kwargs: Any) -> Any:
        # The alias unittest had until Python 3.11 (where it also warned).
        return unittest.TestCase.assertRaisesRegex(self, *args, **kwargs)  # type: ignore[call-overload]
