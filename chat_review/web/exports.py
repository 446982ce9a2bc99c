"""Where a consent's export comes from when the case page analyses it.

An upload is held in this process's memory only (never written to disk) until the app stops,
so a consent recorded a moment ago can be analysed without choosing the file again. A school
that ticks "keep a copy" gets the file saved in the register's home, readable only by this
account (0600), logged, and deleted (and logged) when the consent is revoked or by retention.
Otherwise, after a restart the case page asks for the file again, and the gate re-hashes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path

from chat_review.consent.register import Register
from chat_review.consent.upload import ExportUpload

KEPT_DIR = "kept-exports"
MEMORY_LIMIT = 1024**3  # beyond this, the oldest uploads are forgotten (asked for again)


class ExportStore:
    def __init__(self, home: Path, memory_limit: int = MEMORY_LIMIT) -> None:
        self.home = home
        self.memory_limit = memory_limit
        self._memory: OrderedDict[int, ExportUpload] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, consent_id: int, upload: ExportUpload) -> None:
        with self._lock:
            self._memory[consent_id] = upload
            self._memory.move_to_end(consent_id)
            while sum(len(u.data) for u in self._memory.values()) > self.memory_limit:
                self._memory.popitem(last=False)

    def kept_copy(self, consent_id: int) -> Path | None:
        folder = self.home / KEPT_DIR / str(consent_id)
        files = sorted(folder.iterdir()) if folder.is_dir() else []
        return files[0] if files else None

    def source(self, consent_id: int) -> Path | ExportUpload | None:
        """The bytes held in memory, else the kept copy, else None (ask for the file)."""
        with self._lock:
            upload = self._memory.get(consent_id)
        return upload if upload is not None else self.kept_copy(consent_id)

    def where(self, consent_id: int) -> str:
        """'memory', 'kept' or 'none', for the case page's wording."""
        with self._lock:
            if consent_id in self._memory:
                return "memory"
        return "kept" if self.kept_copy(consent_id) else "none"

    def keep(self, register: Register, consent_id: int, upload: ExportUpload) -> Path:
        """Save a copy the school asked for (0700 folder, 0600 file) and log it."""
        from chat_review.output_files import write_atomic

        folder = self.home / KEPT_DIR / str(consent_id)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder.parent, 0o700)
        path = folder / upload.name
        digest = write_atomic(path, upload.data, force=False)
        register.log("export-copy-kept", consent_id=consent_id,
                     detail={"path": str(path.resolve()), "sha256": digest,
                             "export_name": upload.name})
        return path

    def forget(self, register: Register, consent_id: int, *, reason: str) -> bool:
        """Delete the kept copy (logged); True if one existed.

        The bytes held in memory stay until the app stops: they are no disclosure, and a page
        left open can still be answered by the gate's own refusal rather than "choose the file".
        """
        path = self.kept_copy(consent_id)
        if path is None:
            return False
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()
        register.log("export-copy-deleted", consent_id=consent_id,
                     detail={"path": str(path.resolve()), "sha256": digest, "reason": reason})
        return True
