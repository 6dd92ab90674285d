from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from .feed import Feed
from .forms import ChangesFilterForm

PER_PAGE = 50
PAGE_PARAM = "seite"


@permission_required("changes.view", raise_exception=True)
@require_GET
def index(request):
    """Template: changes/index.html; context: form (filters), page (FeedEntry objects:
    entry fields plus kind, app, url), query (the filters as a query string for page links)."""
    form = ChangesFilterForm(request.GET or None)
    page = None  # invalid filters: the errors beside the fields, no list
    filters = form.feed_filters()
    if not form.is_bound or form.is_valid():
        page = Paginator(Feed(**filters), PER_PAGE).get_page(request.GET.get(PAGE_PARAM))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != PAGE_PARAM and v])
    context = {"form": form, "page": page, "query": query}
    template = "changes/index.html#content" if request.htmx else "changes/index.html"
    return render(request, template, context, status=200 if page is not None else 422)
