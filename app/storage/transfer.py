"""Moving every stored file from one backend to the other, verified by SHA-256.

``briefdesk storage migrate --to db|local``. Each file is copied in chunks while its
SHA-256 is computed, read back from the target and hashed again; only when both hashes
(and sizes) agree is the copy committed and the original deleted. A file that does not
verify stays where it was. Running it again carries on where it stopped.
"""
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from app.extensions import db
from app.storage import BACKENDS, backend, valid_key
from app.storage.backends import sha256_of


@dataclass
class Report:
    moved: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)  # not a key this app wrote
    failed: list[str] = field(default_factory=list)  # the copy did not verify; original kept


class _Hashing:
    def __init__(self, chunks: Iterable[bytes]):
        self.chunks, self.digest, self.size = chunks, hashlib.sha256(), 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.digest.update(chunk)
            self.size += len(chunk)
            yield chunk


def migrate(to: str, progress: Callable[[str], None] = lambda _key: None) -> Report:
    """Move every file of the other backend into ``to``; commits file by file."""
    if to not in BACKENDS:
        raise ValueError(f"--to must be one of {', '.join(BACKENDS)}")
    target = backend(to)
    source = backend("local" if to == "db" else "db")
    report = Report()
    for key in list(source.keys()):
        if not valid_key(key):
            report.skipped.append(key)
            continue
        copied = _Hashing(source.chunks(key))
        target.save(key, copied)
        expected = (copied.size, copied.digest.hexdigest())
        if sha256_of(target.chunks(key)) != expected:
            target.delete(key)
            db.session.commit()
            report.failed.append(key)
            continue
        db.session.commit()  # the verified copy is durable before the original goes
        source.delete(key)
        db.session.commit()
        report.moved += 1
        report.bytes += copied.size
        progress(key)
    return report
