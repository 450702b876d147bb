"""Django merges every catalogue of a language into one (safecommunity/locale first, then the apps
in INSTALLED_APPS order): a message translated one way in one app and another way in another
would read the same on every page. Apps that mean something else give the message a context."""

from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext, to_language


def _catalogues():
    return sorted(Path(settings.BASE_DIR).rglob("locale/*/LC_MESSAGES/*.po"))


def _translation(entry):
    if entry.msgid_plural:
        return tuple(sorted(entry.msgstr_plural.items())) if any(entry.msgstr_plural.values()) else None
    return entry.msgstr or None


def test_the_project_has_catalogues():
    names = {p.relative_to(settings.BASE_DIR).parts[0] for p in _catalogues()}
    assert {"locale", "reports", "hazards", "creation", "evaluation"} <= names


def test_no_message_is_translated_differently_in_two_catalogues():
    seen = defaultdict(lambda: defaultdict(set))  # (language, domain, msgctxt, msgid) -> text -> catalogues
    for path in _catalogues():
        language, domain = path.parts[-3], path.stem
        catalogue = str(path.relative_to(settings.BASE_DIR).parents[2])
        for entry in polib.pofile(str(path)):
            text = _translation(entry)
            if entry.obsolete or "fuzzy" in entry.flags or text is None:
                continue
            seen[(language, domain, entry.msgctxt, entry.msgid)][text].add(catalogue)
    clashes = [f"{key[2]!r} {key[3]!r}: " + "; ".join(f"{text} in {', '.join(sorted(where))}"
                                                     for text, where in texts.items())
               for key, texts in seen.items() if len(texts) > 1]
    assert not clashes, "give one app's message a context (pgettext) or translate it alike:\n" + "\n".join(clashes)


def _language(path):
    return to_language(path.parts[-3])


def test_every_page_reads_what_its_catalogue_says():
    """Catches the same clash with catalogues of packages listed before ours in INSTALLED_APPS
    (Django's admin has "Summary" 概览 and "Unknown" 未知, REST framework "content" 内容主体): only
    safecommunity/locale ranks above them, an app's own words need a context to win."""
    wrong = []
    for path in _catalogues():
        if path.stem != "django":
            continue
        with translation.override(_language(path)):
            for entry in polib.pofile(str(path)):
                if entry.obsolete or "fuzzy" in entry.flags or _translation(entry) is None:
                    continue
                if entry.msgid_plural:
                    want = entry.msgstr_plural[0]
                    got = (npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1) if entry.msgctxt
                           else ngettext(entry.msgid, entry.msgid_plural, 1))
                else:
                    want = entry.msgstr
                    got = pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else gettext(entry.msgid)
                if got != want:
                    wrong.append(f"{path.relative_to(settings.BASE_DIR)}: {entry.msgctxt!r} {entry.msgid!r} "
                                 f"reads {got!r}, not {want!r}")
    assert not wrong, "compile the catalogues, or give the message a context:\n" + "\n".join(wrong)


@pytest.mark.parametrize("context, message, chinese", [
    ("monthly report", "Submit", "报送"), ("hazard", "Submit", "提交验收"),
    ("report", "Due on", "报送截止日"), ("follow-up", "Due on", "完成时限"),
    ("person", "Address", "住址"), ("location", "Address", "地点"), ("unit", "Address", "地址"),
    ("monthly report", "Problems", "存在的问题"), (None, "Problems", "问题"),
    ("person", "name", "姓名"), (None, "name", "名称"),
    ("person", "Active", "在岗"), (None, "Active", "启用"),
    ("meeting", "Decision", "议定事项"), ("review", "Decision", "审核意见"), (None, "Decision", "决定"),
    ("meeting", "Summary", "会议概要"), ("application", "Summary", "概述"), ("emergency plan", "Summary", "主要内容"),
    ("follow-up", "Result", "办理结果"), (None, "Result", "结论"),
    ("follow-up", "What was done", "办理结果"), (None, "What was done", "整改情况"),
    ("expert", "Field", "专业领域"), (None, "Field", "字段"),
    ("score", "Item", "评分项"), (None, "Item", "项目"),
    ("scorecard", "Figure", "完成数"), (None, "Figure", "数据项"),
    ("sex", "Unknown", "不详"),
])
def test_a_context_picks_its_own_chinese_and_leaves_the_english(context, message, chinese):
    def tr():
        return pgettext(context, message) if context else gettext(message)

    with translation.override("zh-hans"):
        assert tr() == chinese
    with translation.override("en"):
        assert tr() == message
