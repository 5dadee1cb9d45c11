"""Background jobs of the newsroom: notification emails.

Queued after the step's transaction commits; without a broker (`make run`
without Redis) Celery runs them in-process at once. Sending is idempotent
(`notifications_email` claims each row before it sends), so a retry never
emails anyone twice.
"""

from celery import shared_task

from claims.services.notifications import notifications_email


@shared_task(ignore_result=True)
def email_notifications(ids: list[int]) -> int:
    return notifications_email(ids=ids)
