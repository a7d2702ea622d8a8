"""Which addresses the fetcher may connect to, and that it connects to the one it checked."""
from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from extractor import fetch
from extractor.cli import cli
from extractor.fetch import Fetcher, FetchError
from httpserver import article_html, fast_policy, rss

PAGE = article_html("Magnet exports", "China exported 5,000 tonnes of magnets in October.")


@pytest.mark.parametrize("address", [
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:0a00:0001::1",  # 6to4 of 10.0.0.1
    "::a9fe:a9fe",  # IPv4-compatible
    "::ffff:169.254.169.254", "::ffff:127.0.0.1",  # IPv4-mapped
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "192.0.0.192", "192.0.0.1", "198.18.0.1", "100.64.0.1", "fec0::1", "fe80::1%eth0", "ff02::1",
])
def test_every_non_global_form_is_refused(address):
    assert fetch.address_allowed(address) is False


@pytest.mark.parametrize("address", ["93.184.216.34", "64:ff9b::5db8:d822", "2606:2800:220:1:248:1893:25c8:1946"])
def test_global_addresses_pass(address):
    assert fetch.address_allowed(address) is True


def test_an_allowed_network_opens_that_network_alone():
    loopback = fetch.FetchPolicy.networks(["127.0.0.0/8"])
    assert fetch.address_allowed("127.0.0.1", loopback) and fetch.address_allowed("::ffff:127.0.0.1", loopback)
    for other in ("169.254.169.254", "10.0.0.1", "::1", "64:ff9b::a9fe:a9fe"):
        assert fetch.address_allowed(other, loopback) is False, other


@pytest.fixture
def rebinding(monkeypatch, http_server):
    """rebind.test answers a public address to the first lookup and 127.0.0.1 to every later one;
    connections to anything but loopback are refused here (tests reach no network), and every
    address connected to is recorded."""
    lookups, connected = [], []
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.create_connection

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "rebind.test":
            lookups.append(host)
            address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        host, port = address[:2]
        resolved = getaddrinfo(host, port)[0][4][0]
        connected.append(resolved)
        if not resolved.startswith("127."):
            raise ConnectionRefusedError(111, "no network in tests")
        return real_connect((resolved, port), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return lookups, connected


def test_a_dns_rebinding_name_never_reaches_the_internal_server(http_server, rebinding):
    lookups, connected = rebinding
    http_server.add("/secret", "internal")
    with Fetcher(fast_policy(allowed_networks=(), retries=0, obey_robots=False)) as f:
        with pytest.raises(FetchError):
            f.fetch(f"http://rebind.test:{http_server.port}/secret?token=abc")
    assert http_server.requests == [], "no request reached the internal server"
    assert connected == ["93.184.216.34"], "the connection went to the address that was checked"
    assert lookups == ["rebind.test"], "resolved once"


def test_the_checked_address_is_connected_with_the_host_name_as_host_header(http_server, monkeypatch):
    http_server.add("/a.html", PAGE)
    policy = fast_policy(resolve=lambda host, port: ["127.0.0.1"] if host == "news.test" else [],
                         obey_robots=False)
    with Fetcher(policy) as f:
        assert f.fetch(f"http://news.test:{http_server.port}/a.html").content == PAGE.encode()
    (request,) = http_server.requests
    assert request.headers["host"] == f"news.test:{http_server.port}"


def test_allow_net_on_the_command_line(http_server, tmp_path):
    http_server.add("/a.html", PAGE)
    http_server.add("/feed.xml", rss([("A", http_server.url("/a.html"))]), content_type="application/rss+xml")
    feeds_yaml = tmp_path / "feeds.yaml"
    feeds_yaml.write_text(f"feeds:\n  - name: f\n    url: {http_server.url('/feed.xml')}\n")
    base = ["run", "--feeds", str(feeds_yaml), "--db", str(tmp_path / "c.db"), "--delay", "0", "--no-progress"]
    refused = CliRunner().invoke(cli, base + ["--allow-net", "10.0.0.0/8"])
    assert refused.exit_code == 1 and "non-public address 127.0.0.1" in refused.output
    allowed = CliRunner().invoke(cli, base + ["--allow-net", "10.0.0.0/8", "--allow-net", "127.0.0.0/8"])
    assert allowed.exit_code == 0, allowed.output
    bad = CliRunner().invoke(cli, base + ["--allow-net", "not-a-network"])
    assert bad.exit_code == 2 and "not-a-network" in bad.output and "Traceback" not in bad.output
