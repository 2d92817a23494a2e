"""SQLAlchemy models, repositories, migrations and the state stores."""
