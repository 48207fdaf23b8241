from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvasConfig(AppConfig):
    name = "canvas"
    verbose_name = _("Canvas")

    def ready(self) -> None:
        from canvas import exchange, snapshots
        from missions.hooks import MissionSection, register_section

        exchange.register()
        snapshots.register()
        register_section(MissionSection("canvas", _("Canvas"), "canvas:canvas", 20))
