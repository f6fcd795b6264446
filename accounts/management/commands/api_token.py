"""`manage.py api_token EMAIL --scope write --name NAME [--days N]`: a token for scripts.

Prints only the token on stdout (so `TOKEN=$(manage.py api_token …)` works); anything else
goes to stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import AccessToken, User
from accounts.tokens import token_create


class Command(BaseCommand):
    help = "Make a personal access token for the API and print it (only the token) on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person the token acts as")
        parser.add_argument(
            "--scope", choices=list(AccessToken.Scope.values), default=AccessToken.Scope.READ
        )
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument("--days", type=int, default=90, help="days until it expires")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user with the e-mail address {options['email']!r}.")
        try:
            token, secret = token_create(
                user=user, name=options["name"], scope=options["scope"], days=options["days"]
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Token {token.prefix}… for {user.email} ({token.scope}), "
            f"expires {token.expires_at:%Y-%m-%d}."
        )
        self.stdout.write(secret)
