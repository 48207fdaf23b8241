"""Keep `User.security_stamp` in step with what decides a person's two-factor state.

A session remembers "verified with this authenticator" or "no second factor needed" together
with the stamp it saw (accounts/two_factor.py). Any change to the person's authenticators or
memberships moves the stamp, so the next request reads devices and roles afresh: adding an
authenticator, removing one, or becoming a lead takes effect at once, as before.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, User


def move_security_stamp(user_id: int) -> None:
    User.objects.filter(pk=user_id).update(security_stamp=F("security_stamp") + 1)


@receiver(post_save, sender=TOTPDevice)
@receiver(post_delete, sender=TOTPDevice)
@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def security_fact_changed(sender: type, instance: TOTPDevice | Membership, **kwargs: Any) -> None:
    if instance.user_id is not None:
        move_security_stamp(instance.user_id)
