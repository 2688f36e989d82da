"""APScheduler wiring and the jobs that run on it."""
