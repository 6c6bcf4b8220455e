from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Event, Organization


class PersonalDataAccess(models.Model):
    """An organizer looked at or exported people's personal data.

    Kept as long as the organization keeps personal data, then deleted.
    """

    class Action(models.TextChoices):
        LIST = "list", _("listed registrations")
        VIEW = "view", _("viewed a registration")
        EXPORT = "export", _("exported registrations")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(_("organizer"), max_length=150)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    where = models.CharField(_("where"), max_length=32)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
