"""Encodings, line endings and zip containers; each unreadable input is one clear ExportError."""

from __future__ import annotations

import io
import zipfile

import pytest

from chat_review.errors import ExportError
from chat_review.reader import container
from chat_review.reader._parse import parse_export_bytes

CHAT = "12/01/2024, 08:59 - Uma Shah: Hello ✨\nsecond\n13/01/2024, 09:00 - Victor Ade: Reply\n"


def parse(data: bytes, name: str = "chat.txt", **kw):
    return parse_export_bytes(data, name, sha256="0" * 64, **kw)


def make_zip(files: dict[str, bytes], *, encrypt: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    out = bytearray(buf.getvalue())
    if encrypt is not None:  # set the "encrypted" flag bit in the local and central headers
        out[6] |= 0x1
        central = out.index(b"PK\x01\x02")
        out[central + 8] |= 0x1
    return bytes(out)


def one_sentence(exc: ExportError) -> str:
    msg = str(exc)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_utf8_without_bom() -> None:
    assert parse(CHAT.encode()).meta.encoding == "utf-8"


def test_utf8_with_bom() -> None:
    chat = parse(b"\xef\xbb\xbf" + CHAT.encode())
    assert chat.meta.encoding == "utf-8-sig"
    assert chat.messages["sender"].iat[0] == "Uma Shah"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    chat = parse(bom + CHAT.encode(codec))
    assert chat.meta.encoding == "utf-16"
    assert list(chat.messages["text"]) == ["Hello ✨\nsecond", "Reply"]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings(eol: str) -> None:
    chat = parse(CHAT.replace("\n", eol).encode())
    assert list(chat.messages["text"]) == ["Hello ✨\nsecond", "Reply"]
    assert list(chat.messages["line"]) == [1, 3]


def test_line_separator_u2028_is_not_a_line_break() -> None:
    chat = parse("12/01/2024, 08:59 - Uma Shah: one\u2028two\u2029three\x85four\n".encode())
    assert chat.messages["text"].iat[0] == "one\u2028two\u2029three\x85four"


def test_zip_with_chat_media_and_macosx() -> None:
    data = make_zip(
        {
            "_chat.txt": CHAT.encode(),
            "IMG-1.jpg": b"\xff\xd8",
            "__MACOSX/._chat.txt": b"\x00\x01",
        }
    )
    chat = parse(data, "export.zip")
    assert chat.meta.container == "zip"
    assert chat.meta.inner_name == "_chat.txt"
    assert len(chat.messages) == 2


@pytest.mark.parametrize(
    "inner",
    [
        "WhatsApp Chat with Uma.txt",
        "WhatsApp-Chat mit Uma.txt",
        "Chat de WhatsApp con Uma.txt",
        "Discussion WhatsApp avec Uma.txt",
        "folder/WhatsApp Chat with Uma.txt",
        "WhatsApp Chat mit Uma.txt",
        "Conversa do WhatsApp com Uma.txt",
        "Chat WhatsApp con Uma.txt",
        "WhatsApp-chat met Uma.txt",
        "WhatsApp Sohbeti - Uma.txt",
    ],
)
def test_zip_localised_chat_names(inner: str) -> None:
    chat = parse(make_zip({inner: CHAT.encode(), "notes.pdf": b"%PDF"}), "export.zip")
    assert chat.meta.inner_name == inner


@pytest.mark.parametrize("inner", ["دردشة واتساب مع Uma.txt", "Uma.txt", "x/Уроки 3Б.txt"])
def test_zip_only_txt_with_an_unknown_name_is_read_when_it_starts_with_messages(
    inner: str,
) -> None:
    data = make_zip({inner: CHAT.encode(), "IMG-1.jpg": b"\xff\xd8", "__MACOSX/._x.txt": b"x"})
    chat = parse(data, "export.zip")
    assert chat.meta.inner_name == inner
    assert len(chat.messages) > 0


def test_zip_only_txt_that_is_not_a_chat_is_refused() -> None:
    with pytest.raises(ExportError) as err:
        parse(make_zip({"readme.txt": b"Hello, this is not a chat.\n"}), "export.zip")
    assert "no WhatsApp chat file" in one_sentence(err.value)
    assert "readme.txt" in str(err.value)


def test_zip_two_unknown_txt_files_are_not_guessed() -> None:
    with pytest.raises(ExportError, match="no WhatsApp chat file"):
        parse(make_zip({"a.txt": CHAT.encode(), "b.txt": CHAT.encode()}), "export.zip")


def test_zip_without_chat_names_what_was_found() -> None:
    with pytest.raises(ExportError) as err:
        parse(make_zip({"IMG-1.jpg": b"\xff\xd8", "photo.png": b"x"}), "export.zip")
    assert "no WhatsApp chat file" in one_sentence(err.value)
    assert "2 files" in str(err.value)


def test_zip_with_several_chats_is_refused() -> None:
    data = make_zip({"a/_chat.txt": CHAT.encode(), "b/_chat.txt": CHAT.encode()})
    with pytest.raises(ExportError) as err:
        parse(data, "export.zip")
    assert "several chat files" in one_sentence(err.value)
    assert "a/_chat.txt" in str(err.value)


def test_zip_with_encrypted_chat_is_refused() -> None:
    with pytest.raises(ExportError) as err:
        parse(make_zip({"_chat.txt": CHAT.encode()}, encrypt="_chat.txt"), "export.zip")
    assert "encrypted" in one_sentence(err.value)


def test_nested_zip_is_refused() -> None:
    inner = make_zip({"_chat.txt": CHAT.encode()})
    with pytest.raises(ExportError) as err:
        parse(make_zip({"WhatsApp Chat.zip": inner}), "export.zip")
    assert "zip" in one_sentence(err.value)


def test_zip_bomb_ratio_is_refused() -> None:
    bomb = CHAT.encode() + b"\n" * 5_000_000
    with pytest.raises(ExportError) as err:
        parse(make_zip({"_chat.txt": bomb}), "export.zip")
    assert "zip bomb" in one_sentence(err.value)


def test_zip_chat_larger_than_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "MAX_CHAT_BYTES", 50)
    with pytest.raises(ExportError) as err:
        parse(make_zip({"_chat.txt": CHAT.encode()}), "export.zip")
    assert "MiB" in one_sentence(err.value)


def test_damaged_zip_is_refused() -> None:
    data = make_zip({"_chat.txt": CHAT.encode()})
    with pytest.raises(ExportError) as err:
        parse(data[:40], "export.zip")
    one_sentence(err.value)


def test_empty_file_is_refused() -> None:
    with pytest.raises(ExportError) as err:
        parse(b"")
    assert "empty" in one_sentence(err.value)


def test_blank_file_is_refused() -> None:
    with pytest.raises(ExportError) as err:
        parse(b"\n\n  \n")
    one_sentence(err.value)


def test_not_an_export_is_refused() -> None:
    with pytest.raises(ExportError) as err:
        parse(b"Dear parents,\nthe trip is on Friday.\n" * 30)
    assert "not a WhatsApp chat export" in one_sentence(err.value)


def test_undecodable_bytes_name_the_line() -> None:
    data = CHAT.encode() + "13/01/2024, 09:01 - Uma Shah: caf\xe9\n".encode("latin-1")
    with pytest.raises(ExportError) as err:
        parse(data)
    assert "line 4" in one_sentence(err.value)


def test_binary_after_a_valid_start_is_refused() -> None:
    data = CHAT.encode() + b"\x00\x01\x02\xff" * 100
    with pytest.raises(ExportError) as err:
        parse(data)
    assert "binary" in one_sentence(err.value)


def test_utf16_without_bom_is_refused_clearly() -> None:
    with pytest.raises(ExportError) as err:
        parse(CHAT.encode("utf-16-le"))
    one_sentence(err.value)


def test_utf16_with_undecodable_bytes_is_refused() -> None:
    data = b"\xff\xfe" + CHAT.encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(ExportError) as err:
        parse(data)
    assert "starts as UTF-16 text but has undecodable bytes" in one_sentence(err.value)


def test_a_stray_nul_byte_is_replaced_and_named_in_a_warning() -> None:
    chat = parse(CHAT.encode() + b"tail\x00x\n")
    assert chat.messages["text"].iat[-1] == "Reply\ntail\ufffdx"
    assert len(chat.messages) == 2
    assert any("NUL byte(s) inside the text (line 4)" in w for w in chat.meta.warnings)


def test_many_nul_bytes_after_a_valid_start_are_refused_naming_the_line() -> None:
    with pytest.raises(ExportError) as err:
        parse(CHAT.encode() + b"tail" + b"\x00x" * 20 + b"\n")
    msg = one_sentence(err.value)
    assert "turns into binary data" in msg and "line 4" in msg


def test_a_file_with_no_strict_header_is_refused() -> None:
    # the loose sample test accepts a 3-digit day; the strict header pattern does not
    with pytest.raises(ExportError) as err:
        parse(b"123/01/2024, 10:00 - A: x\n")
    assert "has no complete message header" in one_sentence(err.value)


# Not UTF-8: each kind of bad byte sequence is refused, naming its line. The check runs a
# step of bytes at a time; small steps put characters and faults across step boundaries.
BAD_UTF8 = {
    "a lone continuation byte": b"\x80",
    "an overlong slash": b"\xc0\xaf",
    "an overlong three-byte form": b"\xe0\x80\xaf",
    "a surrogate": b"\xed\xa0\x80",
    "past U+10FFFF": b"\xf4\x90\x80\x80",
    "a byte never used": b"\xf5",
    "a character cut short": b"\xe2\x9c",
}


@pytest.mark.parametrize("step", [1 << 16, 5, 3])
@pytest.mark.parametrize("bad", BAD_UTF8.values(), ids=BAD_UTF8.keys())
def test_bytes_that_are_not_utf8_are_refused_with_their_line(bad: bytes, step: int,
                                                             monkeypatch) -> None:
    monkeypatch.setattr(container, "_UTF8_STEP", step)
    data = CHAT.encode() + b"14/01/2024, 10:00 - Uma Shah: ok " + bad + b" then\n"
    with pytest.raises(ExportError) as exc:
        parse(data)
    assert "are not UTF-8 text at line 4;" in one_sentence(exc.value)


@pytest.mark.parametrize("step", [1 << 16, 5, 3, 2])
def test_characters_across_the_check_steps_are_read_whole(step: int, monkeypatch) -> None:
    monkeypatch.setattr(container, "_UTF8_STEP", step)
    text = CHAT + "14/01/2024, 10:00 - Uma Shah: 🦔é€ Ω 🎉\n"
    chat = parse(text.encode())
    assert chat.messages["text"].tolist()[-1] == "🦔é€ Ω 🎉"


def test_a_chat_cut_inside_its_last_character_is_refused() -> None:
    data = CHAT.encode() + b"14/01/2024, 10:00 - Uma Shah: ok \xf0\x9f\xa6"
    with pytest.raises(ExportError, match="not UTF-8 text at line 4;"):
        parse(data)
