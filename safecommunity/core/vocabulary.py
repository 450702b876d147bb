"""Words every app uses, translated once in the shared catalogue.

The shared catalogue (safecommunity/locale) takes precedence over the apps' catalogues, so a
word listed here reads the same on every page; apps that need another sense use another
message id (e.g. "Return reason") or pgettext.
"""

from django.utils.translation import gettext_noop

VOCABULARY = [
    gettext_noop("Reason"),
    gettext_noop("Row"),
    gettext_noop("Column"),
    gettext_noop("Errors"),
]
