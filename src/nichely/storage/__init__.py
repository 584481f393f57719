"""The store: SQLAlchemy engine, schema and migrations for SQLite and PostgreSQL."""
