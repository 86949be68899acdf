"""Rendered feeds and their VEVENT blocks, cached on disk in the instance folder.

Several gunicorn workers share the folder. Every file name carries a content
version (the feed's ETag, or the blocks' keys inside a map), so a worker never
serves something stale: a changed event gives a new key and a new ETag. Files
are written to a temporary name and renamed, so readers see whole files only.
"""
import contextlib
import gzip
import os
import pickle
import tempfile
import time
from pathlib import Path

# How long a replaced body stays for requests already told its path (X-Accel-Redirect).
BODY_GRACE_S = 120

# The last block map this process read: (file mtime, map). Keys carry content versions,
# so a map is never wrong, only incomplete.
_LOADED: dict[Path, tuple[int, dict]] = {}


class FeedCache:
    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _atomic_write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def body_path(self, scope: str, etag: str) -> Path:
        return self.directory / f"{scope}--{etag}.ics"

    def find_body(self, scope: str, etag: str) -> Path | None:
        path = self.body_path(scope, etag)
        return path if path.exists() else None

    def store_body(self, scope: str, etag: str, body: bytes) -> Path:
        """Keep the new body; drop older ones of the scope once nobody can be sent them.

        The app's own readers keep their inode open, but nginx opens an X-Accel-Redirect
        path only after the app has answered: a body is removed only ``BODY_GRACE_S``
        after the body that replaced it was written.
        """
        path = self.body_path(scope, etag)
        self._atomic_write(path, body)
        bodies = []
        for found in self.directory.glob(f"{scope}--*.ics"):
            with contextlib.suppress(FileNotFoundError):  # another worker removed it
                bodies.append((found.stat().st_mtime, found))
        bodies.sort(reverse=True)
        now = time.time()
        for (replaced_at, _newer), (_mtime, old) in zip(bodies, bodies[1:], strict=False):
            if old != path and now - replaced_at > BODY_GRACE_S:
                old.unlink(missing_ok=True)
                old.with_name(old.name + ".gz").unlink(missing_ok=True)
        return path

    def gzipped(self, path: Path) -> Path:
        """The body compressed once, on the first request that accepts gzip."""
        gz = path.with_name(path.name + ".gz")
        if not gz.exists():
            self._atomic_write(gz, gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
        return gz

    def load_blocks(self, scope: str) -> dict[str, bytes]:
        """The scope's block map; reused from memory while the file is unchanged."""
        path = self.directory / f"{scope}.blocks"
        try:
            stamp = path.stat().st_mtime_ns
            memo = _LOADED.get(path)
            if memo is not None and memo[0] == stamp:
                return memo[1]
            with open(path, "rb") as f:
                blocks = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError):
            return {}
        _LOADED.clear()  # one map in memory per worker: memory stays bounded
        _LOADED[path] = (stamp, blocks)
        return blocks

    def store_blocks(self, scope: str, blocks: dict[str, bytes]) -> None:
        self._atomic_write(self.directory / f"{scope}.blocks",
                           pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL))
