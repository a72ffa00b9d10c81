"""Save files through an installed djpyfs, expire them and fetch their URLs."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.test import Client  # noqa: E402

import djpyfs  # noqa: E402
from djpyfs.models import FSExpirations  # noqa: E402
from djpyfs.storage import PyFSStorage  # noqa: E402

fs = djpyfs.get_filesystem("smoke/test")
fs.writetext("hello world.txt", "hello from the wheel")
fs.expire("hello world.txt", days=1)
url = fs.get_url("hello world.txt", timeout=60)

response = Client().get(url)
body = b"".join(response.streaming_content)
assert response.status_code == 200, (url, response.status_code)
assert body == b"hello from the wheel", body
assert FSExpirations.objects.filter(module="smoke/test").count() == 1

storage = PyFSStorage(namespace="smoke/storage")
name = storage.save("upload.txt", ContentFile(b"saved by PyFSStorage"))
response = Client().get(storage.url(name))
assert response.status_code == 200, (storage.url(name), response.status_code)
assert b"".join(response.streaming_content) == b"saved by PyFSStorage"
print("djpyfs", djpyfs.__version__, "served", url)
