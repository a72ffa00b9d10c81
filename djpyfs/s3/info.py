"""pyfilesystem ``Info`` for S3 objects and prefixes.

Files are described from a ``HeadObject`` response or from an entry of a
listing (``ListObjectsV2``), so that ``scandir`` needs no request per file.
Directories have no object of their own (a marker key may exist, or not), so
their details are only what a listing can tell.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from botocore import xform_name
from fs.enums import ResourceType
from fs.time import datetime_to_epoch

RawInfo = dict[str, dict[str, Any]]

#: Fields of a listing entry, under the names ``HeadObject`` gives them.
_LISTING_FIELDS = {
    "Size": "content_length",
    "LastModified": "last_modified",
    "ETag": "e_tag",
    "StorageClass": "storage_class",
}


def _jsonable(value: Any) -> Any:
    return datetime_to_epoch(value) if isinstance(value, datetime) else value


def _details(kind: ResourceType, size: int, modified: datetime | None) -> dict:
    return {
        "type": int(kind),
        "size": size,
        "modified": None if modified is None else datetime_to_epoch(modified),
        # S3 keeps neither access, creation nor metadata-change times.
        "accessed": None,
        "created": None,
        "metadata_changed": None,
    }


def directory_info(
    name: str, namespaces: Collection[str], modified: datetime | None = None
) -> RawInfo:
    """Info of a directory (``modified`` is its marker key's, if it has one)."""
    info: RawInfo = {"basic": {"name": name, "is_dir": True}}
    if "details" in namespaces:
        info["details"] = _details(ResourceType.directory, 0, modified)
    return info


def _file_info(
    name: str,
    size: int,
    modified: datetime | None,
    fields: dict[str, Any],
    namespaces: Collection[str],
) -> RawInfo:
    info: RawInfo = {"basic": {"name": name, "is_dir": False}}
    if "details" in namespaces:
        info["details"] = _details(ResourceType.file, size, modified)
    if "s3" in namespaces:
        info["s3"] = fields
    return info


def head_info(
    name: str, head: Mapping[str, Any], namespaces: Collection[str]
) -> RawInfo:
    """Info of a file from its ``HeadObject`` (or ``GetObject``) response."""
    fields = {
        xform_name(field): _jsonable(value)
        for field, value in head.items()
        if field not in ("ResponseMetadata", "Body")
    }
    return _file_info(
        name, head["ContentLength"], head.get("LastModified"), fields, namespaces
    )


def listing_info(
    name: str, entry: Mapping[str, Any], namespaces: Collection[str]
) -> RawInfo:
    """Info of a file from its entry in a listing (no request of its own).

    The ``s3`` namespace then holds only what listings give: size, time,
    ETag and storage class.
    """
    fields = {
        field: _jsonable(entry[key])
        for key, field in _LISTING_FIELDS.items()
        if key in entry
    }
    return _file_info(
        name, entry["Size"], entry.get("LastModified"), fields, namespaces
    )
