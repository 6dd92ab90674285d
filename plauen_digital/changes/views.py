from django.core.paginator import Paginator
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from core.htmx import render_htmx, render_invalid

from .feed import Feed
from .forms import ChangesFilterForm

PER_PAGE = 50
PAGE_PARAM = "seite"
TEMPLATE = "changes/index.html"


@permission_required("changes.view", raise_exception=True)
@require_safe
def index(request):
    """Template: changes/index.html (htmx: #content); context: form (filters), page (FeedEntry
    objects: entry fields plus kind, app, url), query (the filters as a query string for page
    links). Invalid filters: the errors beside the fields, no list (422)."""
    form = ChangesFilterForm(request.GET or None)
    query = urlencode([(k, v) for k, v in request.GET.items() if k != PAGE_PARAM and v])
    context = {"form": form, "page": None, "query": query}
    if form.is_bound and not form.is_valid():
        return render_invalid(request, TEMPLATE, context, partial="content")
    context["page"] = Paginator(Feed(**form.feed_filters()), PER_PAGE).get_page(
        request.GET.get(PAGE_PARAM)
    )
    return render_htmx(request, TEMPLATE, context, partial="content")
