"""Where the register lives: `--home`, else `$CHAT_REVIEW_HOME`, else the user's app dir."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import RegisterError

ENV_HOME = "CHAT_REVIEW_HOME"
APP_NAME = "chat-review"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The home directory in force; the explicit `--home` wins over the environment."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import click  # only here: the consent package does not otherwise need click

    return Path(click.get_app_dir(APP_NAME))


def ensure_home(home: Path) -> Path:
    """Create the home (mode 0700) if needed; refuse a home that is not a directory."""
    if home.exists() and not home.is_dir():
        raise RegisterError(
            f"The chat-review home {home} is a file, not a folder; "
            "point --home or CHAT_REVIEW_HOME at a folder."
        )
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)
    except OSError as exc:
        raise RegisterError(
            f"Cannot create the chat-review home {home} ({exc.strerror}); "
            "choose a folder you can write to with --home."
        ) from exc
    return home
