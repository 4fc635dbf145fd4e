"""Small, valid weekly zips for tests: one JSON Lines member; the bytes depend on week and seed only."""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import date

from oa_spark.weeks import file_name


def weekly_zip(week: date, records: int = 5, seed: int = 0, padding: int = 2000) -> bytes:
    """A zip of `records` JSON lines; `padding` random hex characters per record keep it a few KB."""
    rng = random.Random(f"{week}-{seed}")
    lines = [
        json.dumps({"id": f"{week}-{i}", "seed": seed, "bodyText": rng.randbytes(padding // 2).hex()})
        for i in range(records)
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        member = zipfile.ZipInfo(file_name(week).replace(".zip", ".json"), date_time=(2022, 1, 1, 0, 0, 0))
        archive.writestr(member, "\n".join(lines) + "\n", zipfile.ZIP_DEFLATED)
    return buf.getvalue()
