"""API token authentication in one plain statement.

The REST framework's TokenAuthentication builds an ORM query for the token
and its user on every request; for a marshal's phone that cost more than the
tap itself. Same tokens, same answers, one fixed statement.
"""

import functools

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from config import rows


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user = rows.first(get_user_model(), _user_for_token_sql(), [key])
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, key


@functools.cache
def _user_for_token_sql() -> str:
    user = get_user_model()
    return (
        f"SELECT {rows.columns(user, 'u')} FROM {user._meta.db_table} u "  # noqa: S608 (our names)
        f"JOIN {Token._meta.db_table} t ON t.user_id = u.{user._meta.pk.column} WHERE t.key = %s"
    )
