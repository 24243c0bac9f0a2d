"""The admin pages under ``/admin``: server-rendered Jinja2 templates, a little plain JavaScript.

:func:`backoffice.admin.pages.site.install` adds them to the app. Each page module holds
one area (sign-in, packs, promotions and coupons, execution order, stores and
organisations, the share page); they call the same services and checks as the
JSON API, never a copy of them.
"""
