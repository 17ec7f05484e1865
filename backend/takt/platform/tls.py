"""HTTPS on the factory LAN without a public certificate.

Handhelds need a secure origin for the camera, the offline app (service worker) and push
notifications, and a factory network rarely has a domain name with a real certificate. So
``takt serve --tls`` creates a local certificate authority once (ten years), asks the admin to
install its certificate on each device (``GET /ca.crt``), and issues a server certificate for
every name and address this host answers on: ``localhost``, the host name, ``<host>.local``,
127.0.0.1 and each non-loopback address. The server certificate is issued again when that set
changes (a new DHCP lease) or it nears its end; the CA stays, so devices keep trusting it.

The same app instance serves plain HTTP and HTTPS from one process and one event loop, so the
in-process channels (live updates) reach clients on both.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

from takt.settings import write_private_file

__all__ = [
    "CA_CERT_FILE",
    "TLSFiles",
    "ca_certificate_der",
    "ensure_certificates",
    "host_addresses",
    "host_names",
    "lan_urls",
    "make_servers",
    "run_servers",
    "tls_dir",
]

log = logging.getLogger("takt.tls")

CA_CERT_FILE = "takt-local-ca.pem"
CA_KEY_FILE = "takt-local-ca.key"
SERVER_CERT_FILE = "server.pem"
SERVER_KEY_FILE = "server.key"

CA_VALIDITY = timedelta(days=3650)
SERVER_VALIDITY = timedelta(days=397)
"""Browsers refuse server certificates valid for more than 398 days, even from a local CA."""
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class TLSFiles:
    """Where the CA and the server certificate live, and what the last check did."""

    directory: Path
    names: tuple[str, ...]
    addresses: tuple[str, ...]
    created_ca: bool = False
    issued: bool = False
    """Whether the server certificate was (re)issued by this check."""

    @property
    def ca_cert(self) -> Path:
        """The CA certificate (PEM) devices install."""
        return self.directory / CA_CERT_FILE

    @property
    def server_cert(self) -> Path:
        """The server certificate (PEM)."""
        return self.directory / SERVER_CERT_FILE

    @property
    def server_key(self) -> Path:
        """The server's private key (PEM)."""
        return self.directory / SERVER_KEY_FILE


def tls_dir(data_dir: Path) -> Path:
    """The folder of the local CA and server certificate under ``TAKT_DATA_DIR``."""
    return data_dir / "tls"


# --- which names and addresses this host answers on --------------------------------------


def host_names(hostname: str | None = None) -> list[str]:
    """``localhost``, the host name and its mDNS name ``<short name>.local``."""
    name = (hostname or socket.gethostname()).strip().lower().rstrip(".")
    names = ["localhost"]
    if name and name != "localhost":
        short = name.split(".", 1)[0]
        names += [name, f"{short}.local"]
    return list(dict.fromkeys(names))


def _interface_ipv4() -> set[str]:
    # Linux: the address of every interface (SIOCGIFADDR); elsewhere this finds nothing.
    found: set[str] = set()
    try:
        import fcntl
        import struct
    except ImportError:  # pragma: no cover - not on Windows
        return found
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(probe.fileno(), 0x8915,
                                     struct.pack("256s", name.encode()[:15]))
            except OSError:
                continue
            found.add(socket.inet_ntoa(packed[20:24]))
    return found


def _interface_ipv6() -> set[str]:
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for line in Path("/proc/net/if_inet6").read_text().splitlines():
            fields = line.split()
            if len(fields) >= 4 and fields[3] == "00":  # global scope (not link-local)
                found.add(str(ipaddress.IPv6Address(bytes.fromhex(fields[0]))))
    return found


def _resolved_addresses() -> set[str]:
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(info[4][0]).split("%", 1)[0])
    # The address of the default route (no packet is sent by connecting a UDP socket).
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((target, 9))
            found.add(probe.getsockname()[0])
    return found


def host_addresses() -> list[str]:
    """127.0.0.1 and every non-loopback IPv4 and IPv6 address of this host (no link-local
    IPv6: a URL cannot name one without the interface)."""
    addresses = {"127.0.0.1"}
    for text in _interface_ipv4() | _interface_ipv6() | _resolved_addresses():
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if address.is_loopback or address.is_unspecified or address.is_multicast:
            continue
        if address.version == 6 and address.is_link_local:
            continue
        addresses.add(str(address))
    return sorted(addresses, key=lambda a: (ipaddress.ip_address(a).version,
                                             ipaddress.ip_address(a)))


def lan_urls(port: int, files: TLSFiles) -> list[str]:
    """The https addresses handhelds can open: each non-loopback IPv4 address and the
    ``.local`` name."""
    urls = [f"https://{address}:{port}/" for address in files.addresses
            if ipaddress.ip_address(address).version == 4 and address != "127.0.0.1"]
    urls += [f"https://{name}:{port}/" for name in files.names if name.endswith(".local")]
    return urls or [f"https://localhost:{port}/"]


# --- certificates ------------------------------------------------------------------------


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    if secret:
        write_private_file(path, data)
        return
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _new_key() -> EllipticCurvePrivateKey:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: EllipticCurvePrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load_ca(directory: Path, now: datetime) -> tuple[x509.Certificate, Any] | None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert_path, key_path = directory / CA_CERT_FILE, directory / CA_KEY_FILE
    if not (cert_path.exists() and key_path.exists()):
        return None
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except ValueError:
        log.warning("the local CA in %s cannot be read; creating a new one", directory)
        return None
    if cert.not_valid_after_utc - now < RENEW_BEFORE:
        log.warning("the local CA in %s is about to expire; creating a new one", directory)
        return None
    return cert, key


def _create_ca(directory: Path, now: datetime) -> tuple[x509.Certificate, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = _new_key()
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, f"Takt local CA ({socket.gethostname()})"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Takt"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(directory / CA_KEY_FILE, _key_pem(key), secret=True)
    _write(directory / CA_CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _current_server_cert(directory: Path, ca: x509.Certificate, names: set[str],
                         addresses: set[str], now: datetime) -> bool:
    """Whether the stored server certificate is still right for this CA, these names and
    addresses, and not near its end."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    cert_path, key_path = directory / SERVER_CERT_FILE, directory / SERVER_KEY_FILE
    if not (cert_path.exists() and key_path.exists()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        cert.verify_directly_issued_by(ca)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    has_names = set(san.get_values_for_type(x509.DNSName))
    has_addresses = {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    return (has_names == names and has_addresses == addresses
            and cert.not_valid_after_utc - now >= RENEW_BEFORE)


def _issue_server_cert(directory: Path, ca: x509.Certificate, ca_key: Any,
                       names: list[str], addresses: list[str], now: datetime) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = _new_key()
    alt_names: list[x509.GeneralName] = [x509.DNSName(name) for name in names]
    alt_names += [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[-1])]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + SERVER_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True,
                                     content_commitment=False, data_encipherment=False,
                                     key_agreement=False, key_cert_sign=False, crl_sign=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(directory / SERVER_KEY_FILE, _key_pem(key), secret=True)
    _write(directory / SERVER_CERT_FILE, cert.public_bytes(serialization.Encoding.PEM))


def ensure_certificates(directory: Path, names: Iterable[str], addresses: Iterable[str],
                        *, now: datetime | None = None) -> TLSFiles:
    """Create the local CA if there is none, and (re)issue the server certificate when the
    names or addresses changed, it nears its end, or the CA is new.

    Args:
        directory: Where the files live (``<TAKT_DATA_DIR>/tls``).
        names: DNS names the certificate must cover.
        addresses: IP addresses the certificate must cover.
        now: The current time (tests move it forward).
    """
    now = now or datetime.now(UTC)
    wanted_names = list(dict.fromkeys(n.lower() for n in names))
    wanted_addresses = list(dict.fromkeys(str(ipaddress.ip_address(a)) for a in addresses))
    directory.mkdir(parents=True, exist_ok=True)
    loaded = _load_ca(directory, now)
    created_ca = loaded is None
    ca, ca_key = loaded or _create_ca(directory, now)
    issued = created_ca or not _current_server_cert(directory, ca, set(wanted_names),
                                                    set(wanted_addresses), now)
    if issued:
        _issue_server_cert(directory, ca, ca_key, wanted_names, wanted_addresses, now)
    return TLSFiles(directory=directory, names=tuple(wanted_names),
                    addresses=tuple(wanted_addresses), created_ca=created_ca, issued=issued)


def ca_certificate_der(directory: Path) -> bytes | None:
    """The local CA certificate in DER form for devices to install, or ``None`` when HTTPS
    was never set up."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    path = directory / CA_CERT_FILE
    if not path.exists():
        return None
    return x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(
        serialization.Encoding.DER)


# --- serving HTTP and HTTPS from one process ---------------------------------------------


def make_servers(app: Any, *, host: str, port: int, tls_host: str, tls_port: int,
                 files: TLSFiles, log_level: str) -> tuple[uvicorn.Server, uvicorn.Server]:
    """Two uvicorn servers on one app: plain HTTP (which runs the app's start-up and
    shut-down) and HTTPS (which does not, so the app starts once)."""
    import uvicorn

    common: dict[str, Any] = {"log_level": log_level, "proxy_headers": True}
    plain = uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="on", **common))
    secure = uvicorn.Server(uvicorn.Config(
        app, host=tls_host, port=tls_port, lifespan="off", ssl_certfile=str(files.server_cert),
        ssl_keyfile=str(files.server_key), **common))
    return plain, secure


async def run_servers(plain: uvicorn.Server, secure: uvicorn.Server) -> int:
    """Start plain HTTP (and the app), then HTTPS; stop both when either stops.

    Returns:
        0, or 1 when a server could not start (a port in use).
    """
    plain_task = asyncio.create_task(plain.serve())
    while not plain.started and not plain_task.done():  # noqa: ASYNC110 - uvicorn has no event
        await asyncio.sleep(0.05)
    status = 0
    if plain.started:
        try:
            await secure.serve()
        except SystemExit as exc:  # uvicorn exits when it cannot bind the port
            status = 1 if exc.code not in (0, None) else 0
    # The HTTPS server took the Ctrl+C (or failed): the plain one stops the app after it.
    plain.should_exit = True
    (outcome,) = await asyncio.gather(plain_task, return_exceptions=True)
    if isinstance(outcome, SystemExit):
        return 1 if outcome.code not in (0, None) else status
    if isinstance(outcome, BaseException):
        print(f"Takt stopped: {outcome!r}", file=sys.stderr)
        return 1
    return status
