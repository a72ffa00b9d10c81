"""Copying or moving a file onto itself: the contract of djpyfs.same_file.

Subclasses provide a ``filesystem`` fixture (an empty, writable FS).
"""

from __future__ import annotations

import pytest
from fs import errors

from djpyfs.same_file import ILLEGAL_DESTINATION


class SameFileContract:
    def test_move_onto_itself_with_overwrite_keeps_the_file(self, filesystem):
        filesystem.writebytes("s.txt", b"kept")

        filesystem.move("s.txt", "s.txt", overwrite=True)

        assert filesystem.readbytes("s.txt") == b"kept"

    @pytest.mark.parametrize("spelling", ["/s.txt", "d/../s.txt", "./s.txt"])
    def test_move_onto_another_spelling_of_itself_keeps_the_file(
        self, filesystem, spelling
    ):
        filesystem.makedir("d")
        filesystem.writebytes("s.txt", b"kept")

        filesystem.move("s.txt", spelling, overwrite=True)

        assert filesystem.readbytes("s.txt") == b"kept"

    def test_copy_onto_itself_with_overwrite_keeps_the_file(self, filesystem):
        filesystem.writebytes("s.txt", b"kept")

        if ILLEGAL_DESTINATION is None:
            filesystem.copy("s.txt", "s.txt", overwrite=True)
        else:
            with pytest.raises(ILLEGAL_DESTINATION):
                filesystem.copy("s.txt", "s.txt", overwrite=True)

        assert filesystem.readbytes("s.txt") == b"kept"

    @pytest.mark.parametrize("operation", ["copy", "move"])
    def test_onto_itself_without_overwrite_is_destination_exists(
        self, filesystem, operation
    ):
        filesystem.writebytes("s.txt", b"kept")

        with pytest.raises(errors.DestinationExists):
            getattr(filesystem, operation)("s.txt", "s.txt")

        assert filesystem.readbytes("s.txt") == b"kept"

    @pytest.mark.parametrize("operation", ["copy", "move"])
    def test_missing_file_onto_itself_is_not_found(self, filesystem, operation):
        with pytest.raises(errors.ResourceNotFound):
            getattr(filesystem, operation)("gone.txt", "gone.txt", overwrite=True)

    @pytest.mark.parametrize("operation", ["copy", "move"])
    def test_directory_onto_itself_is_file_expected(self, filesystem, operation):
        filesystem.makedir("d")

        with pytest.raises(errors.FileExpected):
            getattr(filesystem, operation)("d", "d", overwrite=True)

        assert filesystem.isdir("d")
