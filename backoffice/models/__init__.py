"""SQLAlchemy models of the back-office database, one table per class, grouped by topic.

Import :mod:`backoffice.models._all_models` to register every table on
:data:`backoffice.models.base.Base.metadata` (Alembic's env.py does).
"""
