"""Settings: defaults, environment overrides, clear errors, and docs that list every setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from onestop.config import SETTING_NAMES, Settings
from onestop.errors import SettingsError

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_defaults_need_nothing_from_the_user() -> None:
    settings = Settings.from_env({})
    assert settings.corpus_dir == Path("corpus") and settings.index_dir == Path(".onestop")
    assert settings.collection == "onestop" and settings.embedding_model == "all-MiniLM-L6-v2"
    assert settings.chroma_url is None and settings.llm is None
    assert settings.manifest_path == Path(".onestop/onestop/manifest.json")


def test_environment_overrides_and_separate_indexes() -> None:
    a = Settings.from_env({"ONESTOP_INDEX_DIR": "/tmp/a", "ONESTOP_COLLECTION": "team-a", "ONESTOP_CHUNK_SIZE": "600"})
    b = Settings.from_env({"ONESTOP_INDEX_DIR": "/tmp/a", "ONESTOP_COLLECTION": "team-b"})
    assert a.chunk_size == 600 and a.chroma_dir != b.chroma_dir and a.manifest_path != b.manifest_path


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ONESTOP_CHUNK_SIZE": "lots"}, "whole number"),
        ({"ONESTOP_CHUNK_SIZE": "10"}, "at least 200"),
        ({"ONESTOP_COLLECTION": "a b"}, "ONESTOP_COLLECTION"),
        ({"ONESTOP_CHROMA_URL": "chroma-server"}, "http://host:port"),
        ({"ONESTOP_CHUNK_SIZE": "300", "ONESTOP_CHUNK_OVERLAP": "300"}, "smaller than"),
    ],
)
def test_bad_values_are_clear_errors(env: dict, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [name for name in SETTING_NAMES if f"| `{name}` |" not in README]
    assert missing == []


def test_readme_gives_the_two_commands_in_order() -> None:
    assert README.index("make run") < README.index("make test")


def test_the_public_api_is_eager_and_never_shadows_a_module() -> None:
    import types

    import onestop
    import onestop.ingest

    assert isinstance(onestop.ingest, types.ModuleType)  # the module, before and after any import
    for name in onestop.__all__:
        assert getattr(onestop, name) is not None, name
    assert onestop.ingest_corpus is onestop.ingest.ingest
