"""Directories are key prefixes, including those without marker keys."""

from __future__ import annotations

import pytest
from fs import errors
from fs.walk import Walker

#: Keys as another tool (aws s3 sync, django-storages) writes them: no markers.
FOREIGN = ["course/images/a.png", "course/images/b.png", "course/notes.txt"]


@pytest.fixture
def foreign(s3fs, s3_client):
    """The namespace holding FOREIGN, put with a plain client."""
    for key in FOREIGN:
        s3_client.put_object(
            Bucket=s3fs._bucket_name, Key=s3fs._path_to_key(key), Body=key.encode()
        )
    return s3fs


def test_a_prefix_without_marker_is_a_directory(foreign):
    assert foreign.isdir("course/images")
    assert foreign.getinfo("course/images").is_dir
    assert foreign.exists("course")


def test_a_prefix_without_marker_is_listed_as_a_directory(foreign):
    assert sorted(foreign.listdir("/")) == ["course"]
    assert sorted(foreign.listdir("course")) == ["images", "notes.txt"]
    infos = {info.name: info.is_dir for info in foreign.scandir("course")}
    assert infos == {"images": True, "notes.txt": False}


def test_a_prefix_without_marker_can_be_opened_and_walked(foreign):
    images = foreign.opendir("course/images")
    assert sorted(images.listdir("/")) == ["a.png", "b.png"]
    assert sorted(Walker().files(foreign)) == sorted(f"/{key}" for key in FOREIGN)
    assert sorted(Walker().dirs(foreign)) == ["/course", "/course/images"]


def test_files_below_a_prefix_without_marker_can_be_read_and_written(foreign):
    assert foreign.readbytes("course/images/a.png") == b"course/images/a.png"
    foreign.writebytes("course/images/c.png", b"new")
    assert foreign.readtext("course/images/c.png") == "new"


def test_a_directory_made_here_has_a_marker_and_may_be_empty(s3fs, s3_client):
    s3fs.makedir("empty")
    marker = s3_client.head_object(
        Bucket=s3fs._bucket_name, Key=s3fs._path_to_dir_key("/empty")
    )
    assert marker["ContentLength"] == 0
    assert s3fs.listdir("empty") == []
    assert s3fs.isempty("empty")


def test_removing_the_last_file_of_a_prefix_without_marker_removes_it(foreign):
    foreign.remove("course/notes.txt")
    foreign.remove("course/images/a.png")
    foreign.remove("course/images/b.png")
    assert not foreign.exists("course")
    assert foreign.listdir("/") == []


def test_a_name_that_is_both_a_file_and_a_prefix_is_listed_once(s3fs, s3_client):
    for key in ("both", "both/inside"):
        s3_client.put_object(
            Bucket=s3fs._bucket_name, Key=s3fs._path_to_key(key), Body=b"x"
        )
    assert s3fs.listdir("/") == ["both"]
    assert s3fs.getinfo("both").is_file


def test_writing_below_a_missing_directory_is_refused(s3fs):
    with pytest.raises(errors.ResourceNotFound):
        s3fs.writebytes("missing/file.txt", b"x")
    assert not s3fs.exists("missing")


def test_writing_below_a_file_is_refused(s3fs):
    s3fs.writebytes("file.txt", b"x")
    with pytest.raises(errors.ResourceNotFound):
        s3fs.writebytes("file.txt/inner", b"x")


def test_writing_over_a_directory_is_refused(foreign):
    with pytest.raises(errors.FileExpected):
        foreign.writebytes("course/images", b"x")


def test_the_namespace_root_exists_before_anything_is_written(s3fs):
    assert s3fs.listdir("/") == []
    assert s3fs.isempty("/")
    assert s3fs.getinfo("/", namespaces=["details"]).is_dir


def test_a_sibling_prefix_sharing_the_name_is_not_inside(make_s3fs, s3_client):
    s3fs = make_s3fs("pyfs/ns")
    for key in ("pyfs/ns2/file", "pyfs/ns.txt", "pyfs/ns/in"):
        s3_client.put_object(Bucket=s3fs._bucket_name, Key=key, Body=b"x")
    assert s3fs.listdir("/") == ["in"]
    s3fs.removetree("/")
    assert s3_client.list_objects_v2(Bucket=s3fs._bucket_name)["KeyCount"] == 2
