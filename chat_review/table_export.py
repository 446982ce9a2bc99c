"""The message table as CSV or JSON bytes, for `chat-review messages`."""

from __future__ import annotations

import json

from chat_review.reader.chat import Chat


def _frame(chat: Chat):
    frame = chat.messages.copy()
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    return frame


def messages_to_csv(chat: Chat) -> bytes:
    """UTF-8 CSV with a header row; text keeps its newlines (quoted, as CSV allows)."""
    return _frame(chat).to_csv(index=False, lineterminator="\n").encode("utf-8")


def messages_to_json(chat: Chat) -> bytes:
    """`{"chat": metadata, "messages": [rows]}` — metadata says how the file was read."""
    frame = _frame(chat)
    frame = frame.astype(object).where(frame.notna(), None)
    payload = {"chat": chat.meta.to_dict(), "messages": frame.to_dict(orient="records")}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
