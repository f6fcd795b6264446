"""The portal's user: identified by e-mail address, since people are invited by e-mail."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields

if TYPE_CHECKING:
    from django_otp.models import Device


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

    # Django drops an inherited field set to None; the stubs still type it as AbstractUser's field.
    username = None  # type: ignore[assignment]
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
    deactivated_by = models.ForeignKey(
        "self",
        verbose_name=_("deaktiveret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deactivated_by_administrator = models.BooleanField(
        _("deaktiveret af en administrator"),
        default=False,
        help_text=_("Så kan kun en administrator genaktivere personen."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs want auth's username-based UserManager here; ours is a BaseUserManager for e-mail.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    # Set on `request.user` by django_otp's OTPMiddleware (not fields).
    otp_device: Device | None
    is_verified: Callable[[], bool]

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def awaits_acceptance(self) -> bool:
        """Invited, and has not yet accepted (set a password); not someone switched off."""
        return not self.is_active and not self.has_usable_password() and not self.deactivated_by_id


class HashedToken(models.Model):
    """A row found by a secret that exists only with its holder: only its SHA-256 is stored."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Invitations that can still be accepted: not used and not expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(HashedToken):
    """An e-mailed link with which an invited person sets their password and activates their user.

    Only a SHA-256 hash of the token is stored; the token itself exists only in the e-mail.
    """

    VALID_FOR = dt.timedelta(days=14)

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("inviteret af"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sent_invitations",
    )
    invited_to = models.CharField(
        _("inviteret til"), max_length=300, help_text=_("Teamet eller ekspertgruppen, og rollen.")
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    used_at = models.DateTimeField(_("brugt"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} – {self.invited_to}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def can_be_accepted(self) -> bool:
        """Unused, unexpired, and for a person who has not activated their user another way."""
        return not (self.is_used or self.is_expired or self.user.is_active)


class SecurityEvent(models.Model):
    """A login, failed login, logout, lockout or permission denial: who, when, from where."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logget ind")
        LOGIN_FAILED = "login_failed", _("Mislykket login")
        LOGOUT = "logout", _("Logget ud")
        LOCKED_OUT = "locked_out", _("Spærret efter for mange forsøg")
        PERMISSION_DENIED = "permission_denied", _("Adgang nægtet")
        TWO_FACTOR_ENABLED = "2fa_enabled", _("Totrinsbekræftelse slået til")
        TWO_FACTOR_FAILED = "2fa_failed", _("Forkert engangskode")
        DATA_EXPORTED = "data_exported", _("Egne persondata hentet")
        USER_DEACTIVATED = "user_deactivated", _("Bruger deaktiveret")
        USER_REACTIVATED = "user_reactivated", _("Bruger genaktiveret")
        RECOVERY_CODES_CREATED = "recovery_codes", _("Nye reservekoder lavet")
        RECOVERY_CODE_USED = "recovery_code_used", _("Reservekode brugt")
        RATE_LIMITED = "rate_limited", _("For mange forespørgsler")
        API_REQUEST = "api_request", _("API-kald med nøgle")

    kind = models.CharField(_("hændelse"), max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("bruger"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    username = models.CharField(_("angivet brugernavn"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    path = models.CharField(_("adresse"), max_length=500, blank=True)
    method = models.CharField(_("metode"), max_length=10, blank=True)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sikkerhedshændelse")
        verbose_name_plural = _("sikkerhedshændelser")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.user or self.username} · {self.at:%Y-%m-%d %H:%M}"
        )


class AccessTokenQuerySet(models.QuerySet["AccessToken"]):
    def usable(self) -> AccessTokenQuerySet:
        """Tokens that open the API now: not revoked, not expired, their person active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class AccessToken(HashedToken, CheckedFields):
    """A personal access token for the API (`Authorization: Bearer <token>`).

    The token acts as its person, by the same role matrix as the pages; *read* tokens cannot
    change anything. Only a SHA-256 hash of the secret is stored (the secret has 256 bits, so a
    plain hash is enough); the first characters are kept to tell tokens apart in the list.
    """

    PREFIX = "lkt_"
    SHOWN = 12  # characters of the token kept in `prefix`
    MAX_DAYS = 366

    class Scope(models.TextChoices):
        READ = "read", _("Læse")
        WRITE = "write", _("Læse og skrive")

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Hvad nøglen bruges til."))
    scope = models.CharField(_("adgang"), max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(_("begynder med"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class CalendarFeed(HashedToken):
    """A personal iCalendar address of one's seminars: a secret URL, stored hashed, revocable."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    prefix = models.CharField(_("begynder med"), max_length=16, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("sidst hentet"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderadresse")
        verbose_name_plural = _("kalenderadresser")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"
