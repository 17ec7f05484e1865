"""HTTPS on the LAN: the local CA and the server certificate it issues, issuing again when the
host's addresses change, the CA download, and one app serving HTTP and HTTPS in one loop."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import ipaddress
import json
import ssl
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from cryptography import x509
from litestar.testing import AsyncTestClient
from websockets.asyncio.client import connect

from takt.platform import tls
from takt.settings import get_settings

NAMES = ["localhost", "floorserver", "floorserver.local"]
ADDRESSES = ["127.0.0.1", "192.168.10.20", "fd00::20"]


def _handshake(files: tls.TLSFiles, server_hostname: str) -> dict:
    """A TLS handshake in memory: a client trusting only the local CA against the server
    certificate. Returns the verified peer certificate."""
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(files.server_cert, files.server_key)
    client_context = ssl.create_default_context(cafile=str(files.ca_cert))
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    from_client, from_server = ssl.MemoryBIO(), ssl.MemoryBIO()
    client = client_context.wrap_bio(to_client, from_client, server_hostname=server_hostname)
    server = server_context.wrap_bio(to_server, from_server, server_side=True)
    done = {"client": False, "server": False}
    for _ in range(20):
        for name, side in (("client", client), ("server", server)):
            if not done[name]:
                # Wanting to read means: pass the other side's bytes over and try again.
                with contextlib.suppress(ssl.SSLWantReadError):
                    side.do_handshake()
                    done[name] = True
        to_server.write(from_client.read())
        to_client.write(from_server.read())
        if all(done.values()):
            return client.getpeercert()
    raise AssertionError("the handshake did not finish")


def _san(files: tls.TLSFiles) -> tuple[set[str], set[str]]:
    cert = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return (set(san.get_values_for_type(x509.DNSName)),
            {str(a) for a in san.get_values_for_type(x509.IPAddress)})


def test_the_server_certificate_verifies_against_the_local_ca_by_address_and_name(tmp_path):
    files = tls.ensure_certificates(tmp_path / "tls", NAMES, ADDRESSES)
    assert files.created_ca and files.issued
    for hostname in ("127.0.0.1", "localhost", "192.168.10.20", "floorserver.local"):
        peer = _handshake(files, hostname)
        assert ("DNS", "localhost") in peer["subjectAltName"]
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(files, "example.com")
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca.not_valid_after_utc - datetime.now(UTC) > timedelta(days=3640)
    assert (files.directory / tls.CA_KEY_FILE).stat().st_mode & 0o077 == 0
    assert files.server_key.stat().st_mode & 0o077 == 0


def test_the_certificate_is_issued_again_only_when_addresses_change_or_it_nears_its_end(
        tmp_path):
    directory = tmp_path / "tls"
    first = tls.ensure_certificates(directory, NAMES, ADDRESSES)
    ca_before, cert_before = first.ca_cert.read_bytes(), first.server_cert.read_bytes()

    same = tls.ensure_certificates(directory, NAMES, list(reversed(ADDRESSES)))
    assert not same.created_ca and not same.issued
    assert same.server_cert.read_bytes() == cert_before

    moved = tls.ensure_certificates(directory, NAMES, ["127.0.0.1", "10.1.2.3"])
    assert moved.issued and not moved.created_ca
    assert moved.ca_cert.read_bytes() == ca_before  # devices keep trusting the same CA
    assert _san(moved) == (set(NAMES), {"127.0.0.1", "10.1.2.3"})
    _handshake(moved, "10.1.2.3")

    later = datetime.now(UTC) + timedelta(days=380)
    renewed = tls.ensure_certificates(directory, NAMES, ["127.0.0.1", "10.1.2.3"], now=later)
    assert renewed.issued and renewed.ca_cert.read_bytes() == ca_before
    cert = x509.load_pem_x509_certificate(renewed.server_cert.read_bytes())
    assert cert.not_valid_after_utc > later + timedelta(days=300)


def test_the_host_answers_on_loopback_and_its_own_addresses_and_names():
    addresses = tls.host_addresses()
    assert "127.0.0.1" in addresses
    assert not any(ipaddress.ip_address(a).is_loopback for a in addresses if a != "127.0.0.1")
    assert tls.host_names("Floor-Server.example.com") == [
        "localhost", "floor-server.example.com", "floor-server.local"]
    assert tls.host_names("localhost") == ["localhost"]


async def test_the_ca_certificate_downloads_once_tls_is_set_up(fresh_db, tmp_path):
    from takt.app import create_app

    settings = dataclasses.replace(get_settings(), data_dir=tmp_path)
    async with AsyncTestClient(app=create_app(settings)) as client:
        before = await client.get("/ca.crt")
        assert before.status_code == 404 and before.json()["code"] == "tls.not_set_up"
        files = tls.ensure_certificates(tls.tls_dir(tmp_path), NAMES, ADDRESSES)
        after = await client.get("/ca.crt")
    assert after.status_code == 200
    assert after.headers["content-type"] == "application/x-x509-ca-cert"
    assert "takt-local-ca.crt" in after.headers["content-disposition"]
    assert x509.load_der_x509_certificate(after.content) == x509.load_pem_x509_certificate(
        files.ca_cert.read_bytes())


async def test_one_app_serves_http_and_https_and_shares_live_events(app, tmp_path, tokens,
                                                                    as_role):
    files = tls.ensure_certificates(tmp_path / "tls", ["localhost"], ["127.0.0.1"])
    plain, secure = tls.make_servers(app, host="127.0.0.1", port=0, tls_host="127.0.0.1",
                                     tls_port=0, files=files, log_level="warning")
    running = asyncio.create_task(tls.run_servers(plain, secure))
    while not (plain.started and secure.started):  # noqa: ASYNC110 - uvicorn has no event
        assert not running.done(), "a server did not start"
        await asyncio.sleep(0.02)
    http_port = plain.servers[0].sockets[0].getsockname()[1]
    https_port = secure.servers[0].sockets[0].getsockname()[1]
    trust = ssl.create_default_context(cafile=str(files.ca_cert))
    try:
        async with httpx.AsyncClient(verify=trust) as http:
            assert (await http.get(f"https://localhost:{https_port}/health")).status_code == 200
            assert (await http.get(f"http://127.0.0.1:{http_port}/health")).status_code == 200
            # A board on HTTPS sees a change made over plain HTTP: one app, one channels hub.
            async with connect(f"wss://localhost:{https_port}/api/v1/live", ssl=trust,
                               additional_headers={"Cookie": f"takt_token={tokens['supervisor']}"}
                               ) as ws:
                await asyncio.wait_for(ws.recv(), 10)
                await ws.send(json.dumps({"subscribe": ["line:L2"]}))
                await asyncio.wait_for(ws.recv(), 10)
                changed = await http.patch(
                    f"http://127.0.0.1:{http_port}/api/v1/lines/L2", json={"name": "Machining"},
                    headers=as_role("planner", **{"Idempotency-Key": str(uuid.uuid4())}))
                assert changed.status_code == 200
                event = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert event["topic"] == "line:L2" and event["event"]["id"] == "L2"
    finally:
        secure.should_exit = True
        assert await asyncio.wait_for(running, 30) == 0
