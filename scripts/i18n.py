"""Translation workflow for one catalogue.

    python scripts/i18n.py APP            # APP: an app folder (injuries, hazards, ...) or "core"
    python scripts/i18n.py APP --fill F   # F: a JSON file {"English msgid": "中文"} merged in;
                                          # with a context the key is {"context\\u0004English": ...}

"core" is the shared catalogue at safecommunity/locale (the core, orgunits, accounts,
dashboards and api apps, and safecommunity/templates). Every other app keeps its own
catalogue in safecommunity/APP/locale. The script runs makemessages (needs GNU gettext's
xgettext at development time only), merges --fill, lists what is still untranslated and
compiles the .mo with polib.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "safecommunity"
SHARED = {"core", "orgunits", "accounts", "dashboards", "api", "templates", "static", "settings", "locale"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--fill")
    args = parser.parse_args()
    if args.app == "core":
        cwd = ROOT
        ignores = [f"--ignore={d.name}/*" for d in ROOT.iterdir() if d.is_dir() and d.name not in SHARED]
    else:
        cwd = ROOT / args.app
        ignores = []
    (cwd / "locale" / "zh_Hans" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    django_admin = Path(sys.executable).parent / "django-admin"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="safecommunity.settings.base")
    for domain, extra in (("django", []), ("djangojs", ["-e", "js"])):
        if domain == "djangojs" and not list(cwd.rglob("*.js")):
            continue
        subprocess.run([str(django_admin), "makemessages", "-l", "zh_Hans", "-d", domain, "--no-obsolete",
                        "--ignore=tests/*", *ignores, *extra], cwd=cwd, env=env, check=True)
    po_path = cwd / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    if args.fill:
        mapping = json.loads(Path(args.fill).read_text(encoding="utf-8"))
        for entry in po:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if key in mapping:
                value = mapping[key]
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: value}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.msgstr = ""
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    missing = [f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
               for e in po if not (e.msgstr or any(e.msgstr_plural.values()))]
    print(f"{po_path}: {len(po)} entries, {len(missing)} untranslated")
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))


if __name__ == "__main__":
    main()
