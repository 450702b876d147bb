"""Build or rebuild the demo database: migrate, Chongqing's divisions, departments, code lists,
one demo account per role, then each app's demo data (its `demo.py`). Safe to run again."""

from django.core.management import call_command

from safecommunity.core.audit import ActorCommand
from safecommunity.core.registry import contributions

DEMO_PASSWORD = "Demo@2026sc"

# username, role, unit code, full name
DEMO_USERS = [
    ("city_admin", "city", "500000", "市安委办 张主任"),
    ("yuzhong_admin", "district", "500103", "渝中区安委办 李科长"),
    ("shapingba_admin", "district", "500106", "沙坪坝区安委办 王科长"),
    ("jiefangbei_worker", "unit", "500103003", "解放碑街道 刘信息员"),
    ("qixinggang_worker", "unit", "500103001", "七星岗街道 陈信息员"),
    ("xiaolongkan_worker", "unit", "500106001", "小龙坎街道 赵信息员"),
    ("dept_ga", "department", "GA", "市公安局 周警官"),
    ("dept_zj", "department", "ZJ", "市质监局 吴工程师"),
    ("dept_ws", "department", "WS", "市卫生局 郑医生"),
    ("expert_wang", "expert", "500000", "王专家"),
    ("expert_li", "expert", "500000", "李专家"),
    ("sysadmin", "sysadmin", "500000", "系统管理员"),
]


class Command(ActorCommand):
    help = "Build or rebuild the demo database (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **opts):
        from safecommunity.accounts.services import user_upsert
        from safecommunity.orgunits.services import divisions_load

        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        result = divisions_load()
        self.stdout.write(f"divisions: {result.created} created, {result.updated} updated")
        for username, role, code, name in DEMO_USERS:
            user_upsert(username=username, role=role, code=code, password=DEMO_PASSWORD, full_name=name)
        self.stdout.write(f"demo users: {len(DEMO_USERS)} (password {DEMO_PASSWORD})")
        modules = sorted(contributions("demo"), key=lambda m: getattr(m, "ORDER", 100))
        for module in modules:
            module.build(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo database ready"))
