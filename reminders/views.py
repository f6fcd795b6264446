"""Pages for reminder e-mails: a person's choice of kinds, and the unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedRequest
from accounts.models import User
from reminders.forms import ReminderPreferencesForm
from reminders.models import ReminderKind
from reminders.preferences import (
    KIND_HELP,
    read_unsubscribe_token,
    reminder_preferences,
    reminder_preferences_set,
)


@require_http_methods(["GET", "POST"])
@login_required
def edit_preferences(request: AuthenticatedRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None  # an all-off form posts nothing
    form = ReminderPreferencesForm(data, initial=reminder_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        reminder_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Dine valg af påmindelser er gemt."))
        return redirect("reminders:preferences")
    return render(request, "reminders/preferences.html", {"form": form})


# Mail programs send the one-click unsubscribe (RFC 8058) as a POST without a CSRF token; the
# signed token in the address is what authorises it. A GET only asks, so link scanners that
# open every address in a mail unsubscribe nobody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    reader = read_unsubscribe_token(token)
    person = User.objects.filter(pk=reader[0]).first() if reader is not None else None
    if reader is None or person is None:
        raise Http404
    kind = ReminderKind(reader[1])
    done = request.method == "POST"
    if done:
        reminder_preferences_set(user=person, choices={kind: False})
    context = {"person": person, "kind": kind, "help": KIND_HELP[kind], "done": done}
    return render(request, "reminders/unsubscribe.html", context)
