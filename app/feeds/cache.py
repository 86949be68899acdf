"""Rendered feeds and their VEVENT blocks, cached on disk in the instance folder.

Several gunicorn workers share the folder. Every file name carries a content
version (the feed's ETag, or the blocks' keys inside a map), so a worker never
serves something stale: a changed event gives a new key and a new ETag. Files
are written to a temporary name and renamed, so readers see whole files only.
"""
import gzip
import os
import pickle
import tempfile
from pathlib import Path

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
        """Keep the new body, drop the scope's older ones (open readers keep their inode)."""
        path = self.body_path(scope, etag)
        self._atomic_write(path, body)
        for old in self.directory.glob(f"{scope}--*.ics*"):
            if old.name not in (path.name, path.name + ".gz"):
                old.unlink(missing_ok=True)
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
