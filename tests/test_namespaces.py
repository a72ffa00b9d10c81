"""Namespaces and file names: what is accepted, what is refused."""

import pytest
from django.core.exceptions import SuspiciousFileOperation
from fs.errors import IllegalBackReference

from djpyfs.namespaces import normalize_filename, validate_namespace

XBLOCK_NAMESPACE = "animationxblock..animation..d0..u0/settings__fs/NONE.NONE"


@pytest.mark.parametrize(
    "namespace, expected",
    [
        ("charts", "charts"),
        (XBLOCK_NAMESPACE, XBLOCK_NAMESPACE),
        ("a/b/", "a/b"),
        ("a//b", "a/b"),
        ("..hidden../x..y", "..hidden../x..y"),
        ("ünïcode ns", "ünïcode ns"),
    ],
)
def test_valid_namespaces_are_normalised(namespace, expected):
    assert validate_namespace(namespace) == expected


@pytest.mark.parametrize(
    "namespace",
    [
        "",
        "/",
        "//",
        "/abs",
        "..",
        "a/../b",
        "a/..",
        "../a",
        ".",
        "a/./b",
        "a\0b",
        "a\\b",
    ],
)
def test_bad_namespaces_are_refused_as_suspicious(namespace):
    with pytest.raises(SuspiciousFileOperation) as info:
        validate_namespace(namespace)
    assert isinstance(info.value, IllegalBackReference)
    assert repr(namespace) in str(info.value)


def test_namespace_must_be_a_string():
    with pytest.raises(TypeError):
        validate_namespace(b"bytes")


@pytest.mark.parametrize(
    "filename, expected",
    [
        ("a.png", "a.png"),
        ("/a.png", "a.png"),
        ("d/./e/../f.txt", "d/f.txt"),
        ("a..b", "a..b"),
    ],
)
def test_filenames_are_normalised(filename, expected):
    assert normalize_filename(filename) == expected


@pytest.mark.parametrize("filename", ["../x", "/../x", "a/../../x", "", "/", "a\0b"])
def test_bad_filenames_are_refused(filename):
    with pytest.raises(SuspiciousFileOperation):
        normalize_filename(filename)
