"""Who acts and who reads, as the services and selectors declare them."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from .models import User

# Writes are made by a signed-in user: a service never runs for an anonymous visitor.
Actor: TypeAlias = User

# Reads take ``request.user`` as it comes; the scope rules give an anonymous user nothing.
Viewer: TypeAlias = User | AnonymousUser
