"""The portal's user: identified by e-mail address, since people are invited by e-mail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Creates users from an e-mail address instead of a username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person using the portal: coordinator, team member, expert, steering group member."""

    username = None
    email = models.EmailField(_("e-mailadresse"), unique=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    organisation_text = models.CharField(
        _("arbejdssted"), max_length=200, blank=True, help_text=_("F.eks. afdeling og hospital.")
    )

    is_steering_group_member = models.BooleanField(
        _("medlem af styregruppen"),
        default=False,
        help_text=_("Kan læse alt i portalen, men ikke ændre noget."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email
