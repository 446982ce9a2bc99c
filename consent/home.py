"""Where the register lives: `--home`, else `$CHAT_REVIEW_HOME`, else the user's data folder.

The default is the platform's per-user *data* folder (platformdirs): the register is data the
school must keep, not a setting, and on Windows it stays on this PC (Local, not Roaming, so
it is not copied between machines where WAL and locking would not hold).

| system  | default home                                         |
|---------|------------------------------------------------------|
| Linux   | `$XDG_DATA_HOME/chat-review` (`~/.local/share/chat-review`) |
| macOS   | `~/Library/Application Support/chat-review`          |
| Windows | `%LOCALAPPDATA%\\chat-review`                          |

Versions up to 0.1.0 used click's settings folder (`~/.config/chat-review` on Linux,
`%APPDATA%\\chat-review` on Windows). A register found only there is still used, with a
warning saying how to move it, so no school loses its register on upgrade.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import RegisterError, StorageWarning

ENV_HOME = "CHAT_REVIEW_HOME"
APP_NAME = "chat-review"
REGISTER_FILE = "register.sqlite3"


@dataclass(frozen=True)
class HomeChoice:
    """The home in force and, when it is worth saying, why (an older location in use)."""

    path: Path
    note: str | None = None


def default_home() -> Path:
    """The platform's per-user data folder for chat-review (not created here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def legacy_home() -> Path:
    """Where chat-review 0.1.0 kept the register: click's per-user settings folder."""
    import click  # only here: the consent package does not otherwise need click

    return Path(click.get_app_dir(APP_NAME))


def choose_home(explicit: str | os.PathLike[str] | None = None) -> HomeChoice:
    """The home in force; the explicit `--home` wins over the environment, then the default."""
    if explicit:
        return HomeChoice(Path(explicit).expanduser())
    env = os.environ.get(ENV_HOME)
    if env:
        return HomeChoice(Path(env).expanduser())
    new, old = default_home(), legacy_home()
    if new == old or not (old / REGISTER_FILE).is_file():
        return HomeChoice(new)
    if (new / REGISTER_FILE).is_file():
        return HomeChoice(new, (
            f"an older consent register is also in {old} (chat-review 0.1.0's folder) and is "
            f"not used; the register in use is in {new}. Keep the old one as evidence or "
            "remove it once you are sure it is not the school's register."
        ))
    return HomeChoice(old, (
        f"using the consent register in {old}, where chat-review 0.1.0 kept it; the home is "
        f"now {new}. To move it, close chat-review everywhere and move the whole folder "
        f"(register.sqlite3, register.key and any -wal file) to {new}, or set "
        f"{ENV_HOME}={old} to keep it where it is."
    ))


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The home in force, warning (StorageWarning) when an older location is being used."""
    choice = choose_home(explicit)
    if choice.note:
        warnings.warn(choice.note, StorageWarning, stacklevel=2)
    return choice.path


def ensure_home(home: Path) -> Path:
    """Create the home (mode 0700) if needed; refuse a home that is not a directory."""
    if home.exists() and not home.is_dir():
        raise RegisterError(
            f"The chat-review home {home} is a file, not a folder; "
            "point --home or CHAT_REVIEW_HOME at a folder."
        )
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise RegisterError(
            f"Cannot create the chat-review home {home} ({exc.strerror}); "
            "choose a folder you can write to with --home."
        ) from exc
    with contextlib.suppress(OSError):  # FAT/exFAT sticks and some shares cannot chmod
        os.chmod(home, 0o700)
    return home
