"""Background work for privacy (run by the django-q2 workers)."""

from privacy import services


def purge_expired_personal_data() -> dict[str, int]:
    """Scheduled every hour. Idempotent; returns counts only."""
    return services.purge_expired()
