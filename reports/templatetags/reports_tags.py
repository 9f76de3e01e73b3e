from django import template

from reports.selectors import user_may_view_reports
from reports.suppression import Cell

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> Cell:
    return row.get(key) or Cell()


@register.filter
def may_view_reports(user) -> bool:
    return user_may_view_reports(user)
