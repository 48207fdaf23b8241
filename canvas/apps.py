from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvasConfig(AppConfig):
    name = "canvas"
    verbose_name = _("Canvas")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from canvas import demo, exchange, snapshots
        from missions.hooks import MissionSection, register_section

        # Demo data: the editor's boxes before the proposal, the reviewer's comments after it.
        accounts_demo.register(demo.load_demo_boxes, order=200)
        accounts_demo.register(demo.load_demo_comments, order=400)
        exchange.register()
        snapshots.register()
        register_section(MissionSection("canvas", _("Canvas"), "canvas:canvas", 20))
