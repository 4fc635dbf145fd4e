"""`Lake.session_conf`: a setting for the writes inside, shared by writes that run side by side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oa_spark.config import LakeConfig
from oa_spark.tables import Lake

KEY = "spark.sql.parquet.compression.codec"


class Conf:
    """A session's settings, with every change recorded."""

    def __init__(self, **values: str) -> None:
        self.values = dict(values)
        self.changes: list[tuple[str, str | None]] = []

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value
        self.changes.append((key, value))

    def unset(self, key: str) -> None:
        self.values.pop(key, None)
        self.changes.append((key, None))


_SESSIONS: dict[int, SimpleNamespace] = {}


def _lake(conf: Conf) -> Lake:
    """A lake on the (fake) session that owns `conf`: the same session for the same settings."""
    session = _SESSIONS.setdefault(id(conf), SimpleNamespace(conf=conf))
    return Lake(session, LakeConfig())  # type: ignore[arg-type]


def test_a_setting_holds_inside_and_the_session_s_own_comes_back() -> None:
    conf = Conf(**{KEY: "snappy"})
    with _lake(conf).session_conf(KEY, "zstd") as held:
        assert held and conf.values[KEY] == "zstd"
    assert conf.values[KEY] == "snappy"


def test_overlapping_holders_set_it_once_and_the_last_one_out_restores_it() -> None:
    conf = Conf(**{KEY: "snappy"})
    first, second = _lake(conf).session_conf(KEY, "zstd"), _lake(conf).session_conf(KEY, "zstd")
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert conf.values[KEY] == "zstd"  # the second write still runs with it
    second.__exit__(None, None, None)
    assert conf.values[KEY] == "snappy"
    assert conf.changes == [(KEY, "zstd"), (KEY, "snappy")]


def test_a_setting_the_session_did_not_have_is_unset_again() -> None:
    conf = Conf()
    with _lake(conf).session_conf(KEY, "zstd"):
        pass
    assert KEY not in conf.values


def test_an_overlapping_holder_asking_another_value_is_refused() -> None:
    conf = Conf()
    with _lake(conf).session_conf(KEY, "zstd"):
        with pytest.raises(RuntimeError, match="held at 'zstd'"), _lake(conf).session_conf(KEY, "snappy"):
            pass
        assert conf.values[KEY] == "zstd"
    assert KEY not in conf.values


def test_a_refused_optional_setting_yields_false_and_changes_nothing() -> None:
    class Refusing(Conf):
        def set(self, key: str, value: str) -> None:
            raise RuntimeError("not allowed on this session")

    conf = Refusing()
    with _lake(conf).session_conf(KEY, "zstd", required=False) as held:
        assert not held
    assert conf.changes == [] and KEY not in conf.values
