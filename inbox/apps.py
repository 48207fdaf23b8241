from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = _("Inbox")

    def ready(self) -> None:
        # The apps below send plain signals where something happens that waits for someone;
        # the inbox is the only one that listens, so none of them imports it.
        from inbox import receivers

        receivers.connect()
