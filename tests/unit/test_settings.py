"""Settings: a value Takt cannot use stops the start with a sentence naming the variable, and
reading the settings writes nothing (the key files are made by ``takt migrate`` and
``takt serve``)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from takt.cli import main
from takt.settings import SettingsError, ensure_keys, get_settings, reset_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The environment of a fresh install: an empty data directory, no keys configured."""
    reset_settings()
    monkeypatch.setenv("TAKT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    yield monkeypatch
    reset_settings()


@pytest.mark.parametrize(("value", "expected"), [
    ("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True),
    ("false", False), ("0", False), ("No", False), ("off", False), ("", False),
])
def test_a_boolean_setting_takes_true_or_false_in_the_usual_spellings(env, value, expected):
    env.setenv("TAKT_TLS", value)
    assert get_settings().tls is expected


def test_a_misspelt_boolean_stops_the_start_naming_the_variable_and_the_accepted_values(
        env, capsys):
    env.setenv("TAKT_TLS", "ture")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "TAKT_TLS" in err and "'ture'" in err and "true or false" in err


@pytest.mark.parametrize(("variable", "value", "wanted"), [
    ("TAKT_DEBUG", "maybe", "true or false"),
    ("TAKT_PORT", "80a", "from 1 to 65535"),
    ("TAKT_PORT", "70000", "from 1 to 65535"),
    ("TAKT_TLS_PORT", "0", "from 1 to 65535"),
    ("TOKEN_TTL_MINUTES", "0", "1 or more"),
    ("TOKEN_TTL_MINUTES", "-5", "1 or more"),
    ("IDLE_SIGNOUT_MINUTES", "-1", "0 or more"),
    ("LOGIN_RATE_LIMIT_PER_MINUTE", "0", "1 or more"),
    ("DB_POOL_MAX", "-1", "0 or more"),
    ("LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING, ERROR"),
    ("PUBLIC_URL", "takt.local:8000", "http:// or https://"),
    ("REDIS_URL", "localhost:6379", "redis://"),
    ("DATABASE_URL", "mysql://db/takt", "postgresql://"),
])
def test_a_value_takt_cannot_use_is_refused_not_replaced_by_the_default(
        env, variable, value, wanted):
    env.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable) as refused:
        get_settings()
    assert wanted in str(refused.value)


def test_a_pool_minimum_above_its_maximum_is_refused(env):
    env.setenv("DB_POOL_MIN", "5")
    env.setenv("DB_POOL_MAX", "2")
    with pytest.raises(SettingsError, match="DB_POOL_MIN"):
        get_settings()
    env.setenv("DB_POOL_MAX", "0")  # 0: a connection per query, no pool to size
    assert get_settings().db_pool_min == 5


def test_reading_the_settings_writes_no_files_and_a_missing_key_says_how_to_make_one(env):
    settings = get_settings()
    assert settings.secret_key is None and settings.vapid_private_key is None
    assert not settings.data_dir.exists()
    with pytest.raises(SettingsError, match="takt migrate"):
        settings.require_secret_key()
    with pytest.raises(SettingsError, match="VAPID_PRIVATE_KEY"):
        settings.require_vapid_private_key()


def test_configured_keys_are_used_without_any_file(env):
    env.setenv("SECRET_KEY", "from-the-environment")
    settings = ensure_keys(get_settings())
    assert settings.require_secret_key() == "from-the-environment"
    assert not (settings.data_dir / "secret_key").exists()


def test_keys_are_made_once_private_to_the_owner_and_then_only_read(env):
    made = ensure_keys(get_settings())
    secret_file = made.data_dir / "secret_key"
    vapid_file = made.data_dir / "vapid_private_key.pem"
    for path in (secret_file, vapid_file):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in made.data_dir.iterdir()) == ["secret_key",
                                                               "vapid_private_key.pem"]
    again = ensure_keys(get_settings())
    assert again.secret_key == made.secret_key == secret_file.read_text().strip()
    assert again.vapid_private_key == made.vapid_private_key
    assert get_settings().secret_key == made.secret_key


def _takt(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SECRET_KEY", "VAPID_PRIVATE_KEY"}}
    env["TAKT_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "takt", *args], env=env, text=True,
                          capture_output=True, timeout=120)


def test_openapi_on_a_fresh_checkout_writes_the_document_and_no_key(tmp_path):
    out = tmp_path / "openapi.json"
    done = _takt("openapi", "--out", str(out), data_dir=tmp_path / "var")
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("{")
    assert not (tmp_path / "var").exists()


def test_migrate_makes_the_key_files_a_server_then_reads(tmp_path):
    data_dir = tmp_path / "var"
    done = _takt("migrate", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    key = (data_dir / "secret_key").read_text()
    assert (data_dir / "vapid_private_key.pem").read_text().startswith("-----BEGIN")
    assert _takt("migrate", data_dir=data_dir).returncode == 0
    assert (data_dir / "secret_key").read_text() == key
