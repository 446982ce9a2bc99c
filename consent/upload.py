"""An export received as bytes (the local web app's upload) rather than as a file on disk.

The gate and `consents.grant` accept it wherever they accept a path: the same size limit,
the same SHA-256, the same checks, the same audit rows. It exists so an upload never has to be
written to disk just to pass through the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportUpload:
    name: str  # the file name the browser gave, reduced to its last part
    data: bytes = field(repr=False)

    @classmethod
    def from_browser(cls, filename: str, data: bytes) -> ExportUpload:
        """Keep only the last part of the name a browser sent (some send a whole path)."""
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
        name = "".join(ch for ch in name if ch.isprintable()) or "upload"
        return cls(name=name, data=data)
