"""The addresses `serve` prints: the machine's own on the school network, not the loopback its name gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from flipmastery.server import run

IP_ADDR = (
    "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
    "3: wlp2s0    inet 192.168.1.23/24 brd 192.168.1.255 scope global dynamic noprefixroute wlp2s0\\"
    "       valid_lft 85913sec preferred_lft 85913sec\n"
    "4: docker0    inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0\\       valid_lft forever\n"
)


def never() -> list[str]:
    raise AssertionError("the interfaces are read only when the routes and the host name find nothing")


def test_a_laptop_whose_name_is_loopback_gets_the_address_of_its_route() -> None:
    found = run.lan_addresses(
        route=lambda target: "192.168.1.23", hostname=lambda: ["127.0.1.1"], interfaces=never
    )
    assert found == ["192.168.1.23"]


def test_the_routes_come_first_then_the_host_name_each_address_once() -> None:
    routes = {"10.255.255.255": "10.8.0.5", "172.31.255.255": "192.168.1.23", "192.168.255.255": None}
    found = run.lan_addresses(
        route=routes.get, hostname=lambda: ["127.0.1.1", "192.168.1.23", "192.168.56.1"], interfaces=never
    )
    assert found == ["10.8.0.5", "192.168.1.23", "192.168.56.1"]


def test_with_no_route_and_a_loopback_name_the_interfaces_are_read() -> None:
    found = run.lan_addresses(
        route=lambda target: None,
        hostname=lambda: ["127.0.1.1"],
        interfaces=lambda: run.parse_ip_addr(IP_ADDR),
    )
    assert found == ["192.168.1.23", "172.17.0.1"]


def test_no_network_at_all_gives_no_address() -> None:
    assert run.lan_addresses(route=lambda t: None, hostname=lambda: [], interfaces=lambda: []) == []


def test_ip_addr_output_is_read_for_every_ipv4_address() -> None:
    assert run.parse_ip_addr(IP_ADDR) == ["127.0.0.1", "192.168.1.23", "172.17.0.1"]
    assert run.parse_ip_addr("") == []


def test_this_machine_gives_only_addresses_another_machine_can_reach() -> None:
    found = run.lan_addresses()
    assert all(not a.startswith("127.") and a != "0.0.0.0" for a in found)
    assert len(found) == len(set(found))


def test_listening_everywhere_lists_each_lan_address_and_this_computer_last() -> None:
    assert run.serving_urls("0.0.0.0", 8000, ["192.168.1.23", "10.0.0.7"]) == [
        ("http://192.168.1.23:8000/", "for students on the school network"),
        ("http://10.0.0.7:8000/", "for students on the school network"),
        ("http://127.0.0.1:8000/", "on this computer"),
    ]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_listening_on_loopback_says_students_cannot_reach_it(host: str) -> None:
    shown = f"[{host}]" if ":" in host else host
    assert run.serving_urls(host, 8001, ["192.168.1.23"]) == [
        (f"http://{shown}:8001/", "on this computer only (--host 0.0.0.0 lets the class in)")
    ]


def test_listening_on_one_address_shows_that_address() -> None:
    assert run.serving_urls("192.168.1.23", 80, []) == [
        ("http://192.168.1.23:80/", "for students on the school network")
    ]


def test_serve_prints_the_lan_address_and_this_computer(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = True  # serve() turns it off; the fixture puts it back afterwards
    monkeypatch.setattr(run, "route_address", lambda target: "192.168.1.23")
    monkeypatch.setattr(run, "hostname_addresses", lambda: ["127.0.1.1"])
    listened: dict[str, Any] = {}
    monkeypatch.setattr("waitress.serve", lambda app, **options: listened.update(options))

    call_command("serve", "--no-migrate", "--port", "8123", "--workers", "1")

    printed = capsys.readouterr().out
    assert "  http://192.168.1.23:8123/   for students on the school network\n" in printed
    assert "  http://127.0.0.1:8123/      on this computer\n" in printed
    assert "no network address found" not in printed
    assert listened["host"] == "0.0.0.0" and listened["port"] == 8123


def test_serve_says_so_when_it_finds_no_network(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = True
    monkeypatch.setattr(run, "route_address", lambda target: None)
    monkeypatch.setattr(run, "hostname_addresses", lambda: ["127.0.1.1"])
    monkeypatch.setattr(run, "interface_addresses", lambda: ["127.0.0.1"])
    monkeypatch.setattr("waitress.serve", lambda app, **options: None)

    call_command("serve", "--no-migrate", "--workers", "1")

    printed = capsys.readouterr().out
    assert "http://127.0.0.1:8000/   on this computer\n" in printed
    assert "(no network address found: connect this computer to the school network)" in printed
