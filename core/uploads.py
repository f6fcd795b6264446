"""Uploads with a size limit enforced while the body is read, not after."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


class SizeGuard(FileUploadHandler):
    """Stops keeping an uploaded file once it passes the limit; the rest is read and dropped,
    so a 50 MB file costs neither memory nor disk and the browser still gets an answer."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.size = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        self.size = content_length
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.too_large = True
            self.size = max(self.size, start + len(raw_data))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
