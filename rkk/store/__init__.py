"""SQL adapters of the ports (SQLite and PostgreSQL): engine, tables, migrations; one subpackage per capability."""
