"""Conditional GET: a client that sends back the ETag or Last-Modified it got receives 304 Not Modified
instead of the same body again. Report endpoints pass their snapshot's computed-at time; a resource with a
change timestamp passes that."""

import datetime
import hashlib
from collections.abc import Callable

from django.http import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from rest_framework.request import Request


def representation_etag(request: Request, last_modified: datetime.datetime) -> str:
    """Changes with the data's time, the query (filters, page) and the media type, so a JSON and a CSV copy of
    the same data, or two filters of it, never share an ETag."""
    seed = f"{last_modified.isoformat()}|{request.get_full_path()}|{request.accepted_media_type}"
    return quote_etag(hashlib.sha256(seed.encode()).hexdigest()[:32])


def conditional_response(
    request: Request, *, last_modified: datetime.datetime, build: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """304 when the client's copy (If-None-Match / If-Modified-Since) is current, else `build()`; both carry
    ETag and Last-Modified. Call it after the permission checks (in the handler), so a 304 leaks nothing."""
    etag = representation_etag(request, last_modified)
    timestamp = int(last_modified.timestamp())
    response = get_conditional_response(request._request, etag=etag, last_modified=timestamp)
    if response is None:
        response = build()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    # Clients and shared caches must ask again each time (the data may be personal and depends on the token);
    # the validators above make that question cheap.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
    return response
