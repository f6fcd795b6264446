"""Filters for the programme list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import FilterSet
from programmes.models import Programme, Region


class ProgrammeFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Søg"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Programme.Status.choices, empty_label=_("Alle")
    )
    lead_region = django_filters.ModelChoiceFilter(
        label=_("Region med projektledelse"), queryset=Region.objects.all(), empty_label=_("Alle")
    )
    is_cross_sector = django_filters.BooleanFilter(
        label=_("Tværsektorielt"),
        widget=forms.Select(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nej"))]),
    )

    class Meta:
        model = Programme
        fields = ["q", "status", "lead_region", "is_cross_sector"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Area or name: a word from the programme's name, clinical area or target population."""
        return queryset.filter(
            Q(name__icontains=value)
            | Q(clinical_area__icontains=value)
            | Q(target_population__icontains=value)
        )
