"""One reusable permission-matrix check for pages and endpoints."""

from __future__ import annotations

from collections.abc import Mapping

ROLES = [
    "admin",
    "staff",
    "leadership",
    "inspection",
    "mass_mobilisation",
    "ward_secretary",
    "ward_staff",
    "no_role",
]


def check_matrix(
    client,
    users,
    url: str,
    expected: Mapping[str, int],
    *,
    method: str = "get",
    data=None,
    anonymous: int = 302,
    **kwargs,
) -> None:
    """Request ``url`` as every role (and anonymously) and compare the status codes.

    ``expected`` maps a role to its status; roles not named must get 403. ``data`` may be a
    function of the role, so that each role's write is distinct.
    """
    got: dict[str, int] = {}
    for role in ROLES:
        client.force_login(users[role], backend="longbien.org.backends.PersonModelBackend")
        payload = data(role) if callable(data) else data
        response = getattr(client, method)(url, data=payload, **kwargs)
        got[role] = response.status_code
        client.logout()
    response = getattr(client, method)(
        url, data=data("anonymous") if callable(data) else data, **kwargs
    )
    got["anonymous"] = response.status_code
    want = {role: expected.get(role, 403) for role in ROLES}
    want["anonymous"] = anonymous
    diff = {k: (got[k], want[k]) for k in want if got[k] != want[k]}
    assert not diff, f"{method.upper()} {url}: (got, want) {diff}"
