"""The Alembic migrations of the team server's database, applied on start."""
