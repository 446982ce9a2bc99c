"""Errors for bad input to chat-review; the CLI prints the sentence and exits 2."""

from __future__ import annotations


class ChatReviewError(Exception):
    """Base class: `str(error)` is one sentence saying what is wrong and what to do."""

    exit_code = 2


class ExportError(ChatReviewError):
    """The file is not a WhatsApp export chat-review can read faithfully."""


class ConfigError(ChatReviewError):
    """The configuration file is wrong; the sentence names the file and the key."""


class InstallError(ChatReviewError):
    """chat-review's installation lacks a part it needs (exit 1: not the user's input)."""

    exit_code = 1


class OutputError(ChatReviewError):
    """An output file cannot be written (exists without --force, would overwrite an input...)."""
