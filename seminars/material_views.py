"""Pages for seminar materials: the list with the upload form, the download, the removal.

Who may see the seminar may download its materials; who manages the seminar
(`seminars.manage_seminar`) may upload and remove them. Files are never served by address:
only `download_material` hands them out, as attachments under a cleaned name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.uploads import SizeGuard
from seminars import filetypes
from seminars.access import get_seminar_for_user
from seminars.forms import MaterialForm
from seminars.materials import material_add, material_delete, too_large_message
from seminars.models import SeminarMaterial
from seminars.selectors import seminar_materials


@csrf_exempt  # the size guard must be in place before the CSRF check reads the body …
@login_required
@require_http_methods(["GET", "POST"])
def materials(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    guard = SizeGuard(request, filetypes.MAX_BYTES)
    request.upload_handlers = [guard, *request.upload_handlers]
    return _materials(request, pk, guard)


@csrf_protect  # … and the CSRF check runs here, once the guard is installed
def _materials(request: AuthenticatedRequest, pk: int, guard: SizeGuard) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk)
    may_manage = request.user.has_perm("seminars.manage_seminar", seminar.programme)
    form = None
    if may_manage and not seminar.is_cancelled:
        form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form is None:
            if may_manage:  # a cancelled seminar keeps what it has
                messages.error(request, _("Et aflyst seminar kan ikke få nye materialer."))
                return redirect("seminars:materials", seminar.pk)
            raise PermissionDenied
        if guard.too_large:
            form.add_error("file", too_large_message(guard.size))
        elif form.is_valid():
            try:
                material = material_add(
                    seminar=seminar,
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("“%(title)s” er uploadet.") % {"title": material.title})
                return redirect("seminars:materials", seminar.pk)
    context = {
        "seminar": seminar,
        "programme": seminar.programme,
        "materials": seminar_materials(seminar),
        "may_manage": may_manage,
        "form": form,
    }
    return render(request, "seminars/materials.html", context)


@require_GET
@login_required
def download_material(request: AuthenticatedRequest, pk: int, material_pk: int) -> FileResponse:
    seminar = get_seminar_for_user(request.user, pk)
    material = get_object_or_404(SeminarMaterial, pk=material_pk, seminar=seminar)
    try:
        handle = material.file.open("rb")
    except OSError as error:  # the row outlived its file (a storage restored without it)
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def delete_material(request: AuthenticatedRequest, pk: int, material_pk: int) -> HttpResponse:
    seminar = get_seminar_for_user(request.user, pk, "seminars.manage_seminar")
    material = get_object_or_404(SeminarMaterial, pk=material_pk, seminar=seminar)
    material_delete(material=material, by=request.user)
    messages.success(request, _("“%(title)s” er fjernet.") % {"title": material.title})
    return redirect("seminars:materials", seminar.pk)
