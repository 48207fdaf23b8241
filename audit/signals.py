"""Events that are not model saves. Sign-ins are recorded here, once per organisation the user
belongs to, so each organisation's administrators see them; downloads are recorded by
`audit.middleware.DownloadAuditMiddleware`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from audit import services


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def record_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record_sign_in(user=user)
