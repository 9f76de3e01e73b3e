"""A search term is a name, an e-mail address or a candidate number: personal data that must not travel in a URL,
where access logs, browser history and Referer headers would keep it. The filter forms therefore POST the term;
the session keeps it under a random key, and the list's URL carries only that key (`?zoek=<key>`), so paging,
sorting, the board, the export and the browser's back button still see the same search."""

import secrets

from django.http import QueryDict

URL_PARAMETER = "zoek"
SESSION_KEY = "intake_search_terms"
# Every keystroke of a live search posts a term; the oldest are forgotten so the session stays small.
KEPT_TERMS = 20
# Longer than the filter's own limit (100), so that a too-long term still reaches it and gets its message.
STORED_LENGTH = 200


def search_term_remember(session, term: str) -> str:
    """The key under which `term` is kept in `session` (the same key for a term already kept)."""
    term = term.strip()[:STORED_LENGTH]
    terms: dict[str, str] = session.get(SESSION_KEY, {})
    key = next((key for key, kept in terms.items() if kept == term), None)
    if key is None:
        key = secrets.token_urlsafe(6)
        terms = dict(list(terms.items())[-(KEPT_TERMS - 1) :])
        terms[key] = term
        session[SESSION_KEY] = terms
    return key


def search_term_recall(session, key: str) -> str:
    """The term kept under `key`; an unknown key (another session, or forgotten) is no search at all."""
    return session.get(SESSION_KEY, {}).get(key, "")


def filters_without_term(session, params: QueryDict) -> QueryDict:
    """`params` of a filter form with its search term `q` replaced by the key of the kept term, for a URL. Empty
    fields are left out, so the URL shows only the filters that are set."""
    clean = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in ("q", "csrfmiddlewaretoken", URL_PARAMETER):
            continue
        values = [value for value in values if value]
        if values:
            clean.setlist(name, values)
    term = params.get("q", "").strip()
    if term:
        clean[URL_PARAMETER] = search_term_remember(session, term)
    return clean


def filters_with_term(session, params: QueryDict) -> QueryDict:
    """The filters of a list URL, with the kept search term back under `q` for the filterset."""
    data = params.copy()
    data.pop("q", None)
    key = data.pop(URL_PARAMETER, [""])[-1]
    if key:
        data["q"] = search_term_recall(session, key)
    return data
