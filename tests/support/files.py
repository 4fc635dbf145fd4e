"""Files with a chosen age, for tests of what cleanup deletes."""

from __future__ import annotations

import os
import time
from pathlib import Path


def aged_folder(root: Path, name: str, file_days_old: float, folder_days_old: float | None = None) -> None:
    """`root/name/3/part-00000.parquet` (a checkpoint round's shape), the file `file_days_old` days old and
    its folders `folder_days_old` (the file's age unless given)."""
    part = root / name / "3" / "part-00000.parquet"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"PAR1")
    folders = file_days_old if folder_days_old is None else folder_days_old
    for path, days in ((part, file_days_old), (part.parent, folders), (root / name, folders)):
        when = time.time() - days * 86400
        os.utime(path, (when, when))
