"""The login lockout and the audit trail key on the client's address, behind a proxy or not."""

import pytest
from auditlog.context import auditlog_value
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from longbien.client import client_address
from longbien.core.middleware import AuditMiddleware
from tests.conftest import make_user

PASSWORD = "Mat-khau-thu-2025"  # the password tests.conftest.make_user gives everyone
PROXY = "10.0.0.1"  # the reverse proxy: every request behind it arrives from this address
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.7"


def behind_proxy(client_ip: str, forged: str = "") -> Client:
    """A browser at ``client_ip`` reaching the app through the proxy, which appends its peer."""
    chain = f"{forged}, {client_ip}" if forged else client_ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def post_login(client: Client, password: str):
    return client.post(reverse("login"), {"username": "admin", "password": password})


def lock_out(client: Client) -> None:
    # Four failures show the form again; the fifth reaches the limit, and then even the right
    # password is refused from that address.
    assert [post_login(client, f"sai-{n}").status_code for n in range(5)] == [200] * 4 + [429]
    assert post_login(client, PASSWORD).status_code == 429


@override_settings(PROXY_COUNT=1)
def test_behind_the_proxy_the_attacker_is_locked_out_and_the_victim_still_logs_in(db):
    admin = make_user("admin")
    lock_out(behind_proxy(ATTACKER))

    victim = behind_proxy(VICTIM)
    assert post_login(victim, PASSWORD).status_code == 302
    assert victim.session["_auth_user_id"] == str(admin.pk)


@override_settings(PROXY_COUNT=1)
def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(db):
    make_user("admin")
    lock_out(behind_proxy(ATTACKER))
    # The attacker writes the victim's address in the header; the proxy appends the real one.
    assert post_login(behind_proxy(ATTACKER, forged=VICTIM), PASSWORD).status_code == 429
    assert post_login(behind_proxy(VICTIM), PASSWORD).status_code == 302


@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(db):
    make_user("admin")
    lock_out(Client(REMOTE_ADDR=ATTACKER))
    forging = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM)
    assert post_login(forging, PASSWORD).status_code == 429
    assert post_login(Client(REMOTE_ADDR=VICTIM), PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, ATTACKER, VICTIM, ATTACKER),
        (1, PROXY, "", PROXY),  # a request that bypassed the proxy
        (1, PROXY, VICTIM, VICTIM),
        (1, PROXY, f"{VICTIM}, {ATTACKER}", ATTACKER),
        (1, PROXY, f"not-an-address, {ATTACKER}", ATTACKER),
        (1, PROXY, f"{VICTIM}, 10.1.2.3", "10.1.2.3"),  # an intranet client
        (1, PROXY, "[2001:db8::5]:4711", "2001:db8::5"),
        (2, PROXY, f"{VICTIM}, {ATTACKER}, 192.0.2.9", ATTACKER),  # CDN, then our proxy
        (2, PROXY, ATTACKER, PROXY),  # too short a chain for two proxies: not trusted
    ],
)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_address(request) == expected


@override_settings(PROXY_COUNT=1)
def test_the_audit_trail_records_the_address_the_proxy_vouches_for():
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}"
    )
    seen = {}

    def view(request):
        seen.update(auditlog_value.get())
        return None

    AuditMiddleware(view)(request)
    assert seen["remote_addr"] == ATTACKER
