"""The portal's login backend: Django's, with the account's person read in the same query.

Many pages ask who the user is as a cadre (their own evaluations, their tasks, the header):
reading ``user.person`` with the user saves a query on every one of them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from .models import User

        try:
            user = User._default_manager.select_related("person").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
