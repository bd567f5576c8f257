from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mechanism.demo import seed_mechanisms
from mechanism.demo_cases import seed_cases
from meetings.demo import seed_meetings
from rotation.demo import seed_rotation
from xianjie.public.pages import install_home_pages

# Demo page content (Chinese like the rest of the demo data); editors change it in the admin.
HOME_SLUGS = {"140000": "shanxi", "140100": "taiyuan"}
HOME_INTROS = {
    "140000": (
        "<p>山西省政府救助与慈善帮扶工作衔接机制由省民政厅牵头，省总工会、团省委、省妇联、省残联、省红十字会、"
        "省慈善总会等单位参加。机制让困难群众知道到哪里求助，把政府救助和慈善帮扶衔接起来："
        "信息共享、需求对接、联合帮扶，一事一议，按年轮流召集。</p>"
        "<p>遇到困难，可以拨打下列热线、发送电子邮件或到窗口求助，也可以在线提交求助。</p>"
    ),
    "140100": (
        "<p>太原市政府救助与慈善帮扶工作衔接机制由市民政局牵头，市直有关单位参加，"
        "在太原市范围内对接困难群众的救助和帮扶需求。</p>"
    ),
}


class Command(BaseCommand):
    help = (
        "Load the demo data (Shanxi province and Taiyuan, their units and demo users); idempotent, never in production."
    )

    def handle(self, *args, **options):
        if not settings.XIANJIE_DEMO_ALLOWED:
            raise CommandError(
                _("seed_demo refuses to run under production settings: it would create known passwords.")
            )
        logins = seed_mechanisms()
        seed_cases()
        seed_meetings()
        seed_rotation()
        install_home_pages(slugs=HOME_SLUGS, intros=HOME_INTROS)
        self.stdout.write(
            _("Demo data is in place. Log in at /admin/ with the password %(password)s as:")
            % {"password": settings.DEMO_PASSWORD}
        )
        for username, display in logins:
            self.stdout.write(f"  {username:<16} {display}")
