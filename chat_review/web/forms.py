"""Request bodies: read in memory (never spooled to disk), size-limited, CSRF-checked.

Uploads are parsed as they stream in, straight into memory; a body larger than the limit is
drained and refused with a sentence. Every POST handler reads its body through `read_form`,
which refuses a missing or wrong CSRF token with 403.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from .security import session_of

FIELD_LIMIT = 64 * 1024  # a text field longer than this is not a form a person typed
MAX_FIELDS = 50


class FormRefused(Exception):
    """The body cannot be used; `status` and a one-sentence `message` for the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    def optional(self, name: str) -> str | None:
        return self.get(name) or None

    def checked(self, name: str) -> bool:
        return name in self.fields

    def file(self, name: str) -> tuple[str, bytes] | None:
        """(file name, bytes), or None when no file was chosen."""
        item = self.files.get(name)
        return item if item and (item[0] or item[1]) else None


def too_large(limit: int) -> FormRefused:
    size = f"{limit / 1024**2:g} MiB" if limit >= 1024**2 else f"{limit / 1024:g} KiB"
    return FormRefused(413, f"The file is larger than this page accepts ({size}); "
                            "export the chat again 'without media', or use the command line.")


class _Body:
    """The request body as it arrives, chunk by chunk; `drain` reads and drops the rest (so
    the browser is still listening when the refusal page is sent)."""

    def __init__(self, request: Request) -> None:
        self.receive = request.receive
        self.done = False

    async def chunks(self):  # noqa: ANN201 - an async generator of bytes
        while not self.done:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                self.done = True
                raise FormRefused(400, "The browser stopped sending the form; send it again.")
            self.done = not message.get("more_body", False)
            yield message.get("body", b"")

    async def drain(self) -> None:
        async for _ in self.chunks():
            pass


async def read_form(request: Request, max_bytes: int) -> Form:
    """Parse the body (urlencoded or multipart), then check the CSRF token."""
    body = _Body(request)
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        await body.drain()
        raise too_large(max_bytes)
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype == b"multipart/form-data" and params.get(b"boundary"):
        form = await _multipart(body, params[b"boundary"], max_bytes)
    elif ctype == b"application/x-www-form-urlencoded":
        data = await _small_body(body, FIELD_LIMIT * 4)
        form = Form(fields=dict(parse_qsl(data.decode("utf-8", "replace"),
                                          keep_blank_values=True)))
    else:
        await body.drain()
        raise FormRefused(400, "This request has no form in it; use the buttons on the page.")
    token = form.fields.get("csrf", "")
    if not hmac.compare_digest(token.encode(), session_of(request).csrf.encode()):
        raise FormRefused(403, "This form has expired or did not come from this page; go back, "
                               "reload the page and send it again.")
    return form


async def _small_body(body: _Body, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in body.chunks():
        size += len(chunk)
        if size > limit:
            await body.drain()
            raise FormRefused(400, "This form is far too long; shorten what was typed.")
        chunks.append(chunk)
    return b"".join(chunks)


class _Collector:
    """python-multipart callbacks that keep each part in memory."""

    def __init__(self) -> None:
        self.form = Form()
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.data = bytearray()
        self.parts = 0

    def on_part_begin(self) -> None:
        self.headers, self.data = {}, bytearray()
        self.parts += 1
        if self.parts > MAX_FIELDS:
            raise FormRefused(400, "This form has too many fields; use the page's own form.")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self.data += data[start:end]
        if b"filename" not in self._disposition()[1] and len(self.data) > FIELD_LIMIT:
            raise FormRefused(400, "A field of this form is far too long; shorten it.")

    def on_part_end(self) -> None:
        _, params = self._disposition()
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in params:
            self.form.files[name] = (params[b"filename"].decode("utf-8", "replace"),
                                     bytes(self.data))
        else:
            self.form.fields[name] = self.data.decode("utf-8", "replace")

    def _disposition(self) -> tuple[bytes, dict[bytes, bytes]]:
        return parse_options_header(self.headers.get(b"content-disposition", b""))


async def _multipart(body: _Body, boundary: bytes, max_bytes: int) -> Form:
    collector = _Collector()
    parser = MultipartParser(boundary, {
        "on_part_begin": collector.on_part_begin,
        "on_part_data": collector.on_part_data,
        "on_part_end": collector.on_part_end,
        "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value,
        "on_header_end": collector.on_header_end,
    })
    size = 0
    try:
        async for chunk in body.chunks():
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            parser.write(chunk)
        parser.finalize()
    except FormRefused:
        await body.drain()
        raise
    except Exception:  # noqa: BLE001 - python-multipart raises several kinds on bad input
        await body.drain()
        raise FormRefused(400, "The form arrived damaged; send it again.") from None
    return collector.form
