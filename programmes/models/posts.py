"""Who holds a post in a programme or a region: the expert group and its members, the national
project leads and the regional coordinators (tovholdere)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import CheckedFields
from programmes.models import Organisation, Programme, Region
from programmes.validators import validate_no_cpr


class ExpertGroup(models.Model):
    """The programme's expert group (one per programme)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="expert_group"
    )
    mandate = models.TextField(_("kommissorium"), blank=True, validators=[validate_no_cpr])

    class Meta:
        verbose_name = _("ekspertgruppe")
        verbose_name_plural = _("ekspertgrupper")

    def __str__(self) -> str:
        return str(_("Ekspertgruppe for %(programme)s") % {"programme": self.programme})


class ExpertRole(models.TextChoices):
    CHAIR = "chair", _("Formand")
    CO_CHAIR = "co_chair", _("Medformand")
    CLINICAL = "clinical", _("Klinisk ekspert")
    PATIENT = "patient", _("Patientrepræsentant")
    RELATIVE = "relative", _("Pårørenderepræsentant")
    IMPROVEMENT = "improvement", _("Forbedringsekspert")
    PEER = "peer", _("Peer-ekspert")
    DATA = "data", _("Dataekspert")


class ExpertSector(models.TextChoices):
    REGIONAL = "regional", _("Region/hospital")
    MUNICIPAL = "municipal", _("Kommune")
    PRIMARY = "primary", _("Almen praksis")
    CITIZEN = "citizen", _("Patient/pårørende")
    OTHER = "other", _("Andet")


class ExpertMember(CheckedFields):
    """A person in an expert group, with a role, a sector and an organisation."""

    Role = ExpertRole

    Sector = ExpertSector

    group = models.ForeignKey(ExpertGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="expert_memberships",
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    sector = models.CharField(_("sektor"), max_length=20, choices=Sector.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    joined_on = models.DateField(_("indtrådt"), null=True, blank=True)

    class Meta:
        verbose_name = _("ekspertgruppemedlem")
        verbose_name_plural = _("ekspertgruppemedlemmer")
        ordering = ["group", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="expert_member_once"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role="chair"), name="expert_group_one_chair"
            ),
            models.CheckConstraint(
                condition=Q(role__in=ExpertRole.values), name="expert_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class ProgrammeLead(models.Model):
    """A national project lead of a programme (region and, cross-sector, municipal partner)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="leads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="led_programmes",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("national projektleder")
        verbose_name_plural = _("nationale projektledere")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="programme_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme}"


class RegionalCoordinator(models.Model):
    """A region's LKT coordinator (tovholder): administers the region's teams in every LKT."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="coordinated_regions",
    )

    class Meta:
        verbose_name = _("regional tovholder")
        verbose_name_plural = _("regionale tovholdere")
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="regional_coordinator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}"
