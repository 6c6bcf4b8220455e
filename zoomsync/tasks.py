"""Background work for Zoom (run by the django-q2 workers). Thin: ids in,
services do the work."""

from zoomsync import services


def run_job(job_id: int) -> str:
    return services.run_job(job_id=job_id)


def drain_registrants(event_id: int, share: int) -> int:
    return services.drain_registrants(event_id=event_id, share=share)


def run_due_jobs() -> int:
    """The sweep (every minute): jobs waiting for their next attempt."""
    return services.run_due_jobs()


def apply_delivery(delivery_id: int) -> None:
    services.apply_delivery(delivery_id=delivery_id)
