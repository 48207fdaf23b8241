from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvasConfig(AppConfig):
    name = "canvas"
    verbose_name = _("Canvas")

    def ready(self) -> None:
        from accounts import demo as accounts_demo
        from canvas import demo, exchange, services, snapshots
        from missions.hooks import MissionSection, on_mission_changed, register_section

        # Demo data: the editor's boxes before the proposal, the reviewer's comments after it.
        accounts_demo.register(demo.load_demo_boxes, order=200)
        accounts_demo.register(demo.load_demo_comments, order=400)
        exchange.register()
        snapshots.register()
        register_section(MissionSection("canvas", _("Canvas"), "canvas:canvas", 20))
        on_mission_changed(
            services.records_changed, many=services.records_changed_many, records_only=True
        )
