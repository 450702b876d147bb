from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from safecommunity.core.roles import Role
from safecommunity.core.scoping import ScopedQuerySet, user_path


class UserQuerySet(ScopedQuerySet):
    """System admins and the city office see every account; a district its own subtree's;
    every other user their own."""

    read_all_roles = frozenset({Role.SYSADMIN, Role.CITY})

    def district_q(self, user) -> Q:
        return self.subtree_q(user) if user_path(user) else self.own_q(user)

    def own_q(self, user) -> Q:
        return Q(pk=user.pk)

    unit_q = department_q = expert_q = own_q


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person with one role, attached to one org unit (a department user: to a department)."""

    Role = Role

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.UNIT, db_index=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "orgunits.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("position"), max_length=50, blank=True)

    objects = ScopedUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_edit", args=[self.pk])

    def _get_session_auth_hash(self, secret=None):
        """A session carries this hash from sign-in; when the password, role, unit, department or
        active flag changes, it no longer matches and the session is signed out (the API tokens
        end at the same moment: security.signals)."""
        material = f"{self.password}|{self.role}|{self.org_unit_id}|{self.department_id}|{self.is_active}"
        return salted_hmac("safecommunity.accounts.User.session", material, secret=secret,
                           algorithm="sha256").hexdigest()

    @property
    def is_city(self) -> bool:
        return self.is_superuser or self.role == Role.CITY

    @cached_property
    def district(self):
        return self.org_unit.district if self.org_unit_id else None

    @cached_property
    def creating_unit(self):
        from safecommunity.orgunits.models import CreatingUnit

        if self.role != Role.UNIT or not self.org_unit_id:
            return None
        return CreatingUnit.objects.filter(org_unit_id=self.org_unit_id).first()

    @property
    def unit_label(self) -> str:
        if self.role == Role.DEPARTMENT:
            return str(self.department or "")
        return str(self.org_unit or "")
