"""Every setting of Takt, read from environment variables.

Each field's docstring is what the README documents. Unset ``DATABASE_URL`` and ``REDIS_URL``
mean the embedded default (SQLite file under ``TAKT_DATA_DIR``, in-process events).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import overload
from urllib.parse import urlsplit

__all__ = [
    "Settings",
    "SettingsError",
    "ensure_keys",
    "get_settings",
    "reset_settings",
    "write_private_file",
]

_REPO_ROOT = Path(__file__).resolve().parents[2]


@overload
def _env(name: str) -> str | None: ...
@overload
def _env(name: str, default: str) -> str: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


class SettingsError(ValueError):
    """A setting holds a value Takt cannot use; the message names the variable and what it
    accepts. Raised when the settings are read, so a typo stops the start, not a later
    request."""


def _env_int(name: str, default: int, *, least: int | None = None,
             most: int | None = None) -> int:
    raw = _env(name)
    if least is not None and most is not None:
        wanted = f"a whole number from {least} to {most}"
    elif least is not None:
        wanted = f"a whole number of {least} or more"
    else:
        wanted = "a whole number"
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"The setting {name} must be {wanted}, not {raw!r}.") from exc
    if (least is not None and value < least) or (most is not None and value > most):
        raise SettingsError(f"The setting {name} must be {wanted}, not {value}.")
    return value


def _vapid_subject() -> str:
    subject = _env("VAPID_SUBJECT", "mailto:admin@takt.local") or ""
    if not subject.startswith(("mailto:", "https://")):
        raise SettingsError("The setting VAPID_SUBJECT must be a mailto: address or an "
                            f"https:// URL, not {subject!r}.")
    return subject


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    # A typo such as "ture" read as false would quietly switch off what was asked for.
    raise SettingsError(f"The setting {name} must be true or false (also 1/0, yes/no, on/off), "
                        f"not {raw!r}.")


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level() -> str:
    level = (_env("LOG_LEVEL", "INFO") or "INFO").upper()
    if level not in _LOG_LEVELS:
        raise SettingsError(f"The setting LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, "
                            f"not {level!r}.")
    return level


def _public_url() -> str:
    url = (_env("PUBLIC_URL", "http://127.0.0.1:8000") or "").rstrip("/")
    # Every printed label encodes this address: a bare host name would print labels that a
    # phone camera cannot open.
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SettingsError("The setting PUBLIC_URL must be an http:// or https:// address "
                            f"(such as https://mes.example.com), not {url!r}.")
    return url


@dataclass(frozen=True)
class Settings:
    """Takt's configuration. Build it with :func:`get_settings`."""

    data_dir: Path
    """``TAKT_DATA_DIR``: where the embedded database, the generated secret key and uploaded
    files live. Default ``./var``."""

    database_url: str | None
    """``DATABASE_URL``: ``postgresql://user:password@host:5432/db`` switches to PostgreSQL with a
    connection pool; ``sqlite:///path/to/file.db`` picks another SQLite file. Unset means the
    embedded default ``<TAKT_DATA_DIR>/takt.db`` (WAL mode)."""

    redis_url: str | None
    """``REDIS_URL``: ``redis://host:6379/0`` switches events (channels) and stores (login rate
    limit) to Redis so several workers share them. Unset means in-process memory."""

    redis_prefix: str
    """``REDIS_PREFIX``: prefix of Takt's keys in Redis, so several installations (or test
    runs) can share one Redis. Default ``takt``."""

    public_url: str
    """``PUBLIC_URL``: the address handhelds use to reach Takt; printed labels encode
    ``<PUBLIC_URL>/S/<KIND>/<CODE>``. Default ``http://127.0.0.1:8000``."""

    host: str
    """``TAKT_HOST``: the interface ``takt serve`` listens on. Default ``127.0.0.1``; use
    ``0.0.0.0`` to serve the factory network."""

    port: int
    """``TAKT_PORT``: the port ``takt serve`` listens on. Default ``8000``."""

    secret_key: str | None
    """``SECRET_KEY``: signs sign-in tokens. Unset means a random key kept in
    ``<TAKT_DATA_DIR>/secret_key``, which ``takt migrate`` and ``takt serve`` create once
    (``None`` until then; read it with :meth:`require_secret_key`). Set the same value on every
    worker in scale-out mode."""

    token_ttl_minutes: int
    """``TOKEN_TTL_MINUTES``: how long a sign-in lasts. Default 720 (a 12-hour shift)."""

    idle_signout_minutes: int
    """``IDLE_SIGNOUT_MINUTES``: the app signs a shared handheld out after this many minutes
    without a touch or scan, so the next operator does not work under someone else's name.
    Default 15; 0 means never."""

    scan_repeat_window_ms: int
    """``SCAN_REPEAT_WINDOW_MS``: the app counts the same label read again within this many
    milliseconds as one scan (a trigger held down, a camera seeing the code in every frame).
    Default 1000; 0 counts every read."""

    report_undo_seconds: int
    """``REPORT_UNDO_SECONDS``: for this many seconds after a work report, the operator who
    made it may undo it from the handheld (a void with a reason); after that, or for someone
    else's report, only a supervisor voids it. Default 600 (ten minutes); 0 leaves every void
    to a supervisor."""

    login_rate_limit_per_minute: int
    """``LOGIN_RATE_LIMIT_PER_MINUTE``: sign-in attempts allowed per client address and minute
    before Takt answers 429. Default 20."""

    db_pool_min: int
    """``DB_POOL_MIN``: PostgreSQL connection pool minimum size per worker. Default 1."""

    db_pool_max: int
    """``DB_POOL_MAX``: PostgreSQL connection pool maximum size per worker. Default 10; 0 opens
    a connection per query instead of a pool."""

    labels_dir: Path
    """``LABELS_DIR``: folder of label templates (JSON). Default ``./labels`` of the install."""

    label_printer: str | None
    """``LABEL_PRINTER``: ``host`` or ``host:port`` of a ZPL printer (raw port 9100) used by
    ``takt labels print`` when no ``--printer`` is given."""

    pwa_dir: Path
    """``PWA_DIR``: the built progressive web app served at ``/``. Default ``./pwa/dist``."""

    vapid_private_key: str | None
    """``VAPID_PRIVATE_KEY``: the key that signs web push notifications (a PEM private key or a
    base64url raw P-256 key). Unset means a key pair kept in
    ``<TAKT_DATA_DIR>/vapid_private_key.pem``, which ``takt migrate`` and ``takt serve`` create
    once (``None`` until then; read it with :meth:`require_vapid_private_key`). Set the same
    value on every worker in scale-out mode; changing it makes every device subscribe again."""

    vapid_subject: str
    """``VAPID_SUBJECT``: the contact push services see with each notification (``mailto:`` or
    ``https:`` URL). Default ``mailto:admin@takt.local``."""

    tls: bool
    """``TAKT_TLS``: ``true`` makes ``takt serve`` also serve HTTPS on ``TAKT_TLS_PORT`` with a
    certificate from a local certificate authority it creates in ``<TAKT_DATA_DIR>/tls`` (what
    handhelds need for the camera, the offline app and push on the LAN). Same as
    ``takt serve --tls``. Default ``false``."""

    tls_port: int
    """``TAKT_TLS_PORT``: the HTTPS port of ``takt serve --tls``, on every interface (0.0.0.0).
    Default ``8443``."""

    log_level: str
    """``LOG_LEVEL``: ``DEBUG``, ``INFO`` (default), ``WARNING`` or ``ERROR``."""

    debug: bool
    """``TAKT_DEBUG``: ``true`` shows tracebacks in error responses. Never in production."""

    @property
    def cookie_secure(self) -> bool:
        """Send the sign-in cookie only over HTTPS when Takt is published over HTTPS."""
        return self.public_url.lower().startswith("https://")

    def require_secret_key(self) -> str:
        """The key that signs sign-in tokens.

        Raises:
            SettingsError: neither ``SECRET_KEY`` is set nor has its file been created yet.
        """
        if self.secret_key is None:
            raise SettingsError(_missing_key("SECRET_KEY", self.data_dir / SECRET_KEY_FILE))
        return self.secret_key

    def require_vapid_private_key(self) -> str:
        """The key that signs web push notifications.

        Raises:
            SettingsError: neither ``VAPID_PRIVATE_KEY`` is set nor has its file been created
                yet.
        """
        if self.vapid_private_key is None:
            raise SettingsError(_missing_key("VAPID_PRIVATE_KEY",
                                             self.data_dir / VAPID_KEY_FILE))
        return self.vapid_private_key

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file in use, or ``None`` on PostgreSQL."""
        if self.database_url is None:
            return self.data_dir / "takt.db"
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None


def write_private_file(path: Path, data: bytes) -> None:
    """Write a key readable by its owner only, from the first byte on (not chmod after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


SECRET_KEY_FILE = "secret_key"
VAPID_KEY_FILE = "vapid_private_key.pem"


def _missing_key(variable: str, path: Path) -> str:
    return (f"There is no {variable} yet: run `takt migrate` (or `takt serve`) once, which "
            f"keeps one in {path}, or set {variable}.")


def _key_file(path: Path) -> str | None:
    # Reading the settings only reads: the key files are made by ensure_keys.
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def _secret_key(data_dir: Path) -> str | None:
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    stored = _key_file(data_dir / SECRET_KEY_FILE)
    return stored.strip() if stored is not None else None


def _vapid_private_key(data_dir: Path) -> str | None:
    configured = _env("VAPID_PRIVATE_KEY")
    if configured:
        from py_vapid import Vapid

        # An environment file often holds a PEM on one line with literal "\\n" separators.
        text = configured.replace("\\n", "\n")
        try:
            if "-----BEGIN" in text:
                Vapid.from_pem(text.encode())
            else:
                Vapid.from_string(text)
        except Exception as exc:
            raise SettingsError("The setting VAPID_PRIVATE_KEY must be a PEM private key or a "
                                "base64url raw P-256 key (32 bytes).") from exc
        return text
    return _key_file(data_dir / VAPID_KEY_FILE)


def _create_key_file(path: Path, data: bytes) -> str:
    """Write a key file unless it exists, and return what the file holds.

    Two processes starting at once (``takt migrate`` in two containers on one volume) must not
    each keep a key of their own: the file is linked into place only if absent, so the first
    one wins and the other reads it."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write_private_file(temporary, data)
    try:
        # Already there: another process made it first, and its key is the one to keep.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
    return path.read_text()


def _new_vapid_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def ensure_keys(settings: Settings) -> Settings:
    """Create the key files that neither a setting nor an earlier run provided, and return the
    settings holding both keys. ``takt migrate`` and ``takt serve`` call this; reading the
    settings never writes."""
    secret_key = settings.secret_key
    vapid_private_key = settings.vapid_private_key
    if secret_key is None:
        secret_key = _create_key_file(settings.data_dir / SECRET_KEY_FILE,
                                      secrets.token_urlsafe(48).encode()).strip()
    if vapid_private_key is None:
        vapid_private_key = _create_key_file(settings.data_dir / VAPID_KEY_FILE,
                                             _new_vapid_pem())
    if (secret_key, vapid_private_key) != (settings.secret_key, settings.vapid_private_key):
        # Settings read before the files existed would go on saying there is no key.
        reset_settings()
    return dataclasses.replace(settings, secret_key=secret_key,
                               vapid_private_key=vapid_private_key)


def _load() -> Settings:
    data_dir = Path(_env("TAKT_DATA_DIR", "var")).resolve()
    database_url = _env("DATABASE_URL")
    if database_url and not database_url.startswith(("postgresql://", "postgres://", "sqlite:///")):
        raise SettingsError(
            "The setting DATABASE_URL must start with postgresql:// or sqlite:///, "
            f"not {database_url.split(':', 1)[0]}."
        )
    redis_url = _env("REDIS_URL")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("The setting REDIS_URL must start with redis://, rediss:// or "
                            "unix://.")
    db_pool_min = _env_int("DB_POOL_MIN", 1, least=0)
    db_pool_max = _env_int("DB_POOL_MAX", 10, least=0)
    if 0 < db_pool_max < db_pool_min:
        raise SettingsError(f"The setting DB_POOL_MIN ({db_pool_min}) must not exceed "
                            f"DB_POOL_MAX ({db_pool_max}).")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        redis_prefix=_env("REDIS_PREFIX", "takt") or "takt",
        public_url=_public_url(),
        host=_env("TAKT_HOST", "127.0.0.1") or "127.0.0.1",
        port=_env_int("TAKT_PORT", 8000, least=1, most=65535),
        secret_key=_secret_key(data_dir),
        token_ttl_minutes=_env_int("TOKEN_TTL_MINUTES", 720, least=1),
        idle_signout_minutes=_env_int("IDLE_SIGNOUT_MINUTES", 15, least=0),
        scan_repeat_window_ms=_env_int("SCAN_REPEAT_WINDOW_MS", 1000, least=0, most=10_000),
        report_undo_seconds=_env_int("REPORT_UNDO_SECONDS", 600, least=0, most=86_400),
        login_rate_limit_per_minute=_env_int("LOGIN_RATE_LIMIT_PER_MINUTE", 20, least=1),
        db_pool_min=db_pool_min,
        db_pool_max=db_pool_max,
        labels_dir=Path(_env("LABELS_DIR", str(_REPO_ROOT / "labels"))),
        label_printer=_env("LABEL_PRINTER"),
        pwa_dir=Path(_env("PWA_DIR", str(_REPO_ROOT / "pwa" / "dist"))),
        vapid_private_key=_vapid_private_key(data_dir),
        vapid_subject=_vapid_subject(),
        tls=_env_bool("TAKT_TLS", False),
        tls_port=_env_int("TAKT_TLS_PORT", 8443, least=1, most=65535),
        log_level=_log_level(),
        debug=_env_bool("TAKT_DEBUG", False),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the settings, read from the environment once per process."""
    return _load()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between apps)."""
    get_settings.cache_clear()
