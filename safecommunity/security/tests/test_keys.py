import base64
from io import StringIO

import pytest
from django.core.management import call_command

from safecommunity.core import personal
from safecommunity.injuries.models import InjuryRecord
from safecommunity.security import keys

K1 = "k1:" + base64.urlsafe_b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.urlsafe_b64encode(b"2" * 32).decode()


def _record(make_record, name="王小明"):
    record = make_record()
    record.set_personal(name=name, id_number="11010519491231002X", phone="13812345678")
    record.save()
    return record


def _raw(record):
    return InjuryRecord.objects.values_list("name_cipher", flat=True).get(pk=record.pk)


def test_the_personal_key_is_apart_from_secret_key(settings, make_record):
    settings.PERSONAL_DATA_KEYS = [K1]
    record = _record(make_record)
    assert _raw(record).startswith("g2:k1:")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40  # SECRET_KEY rotated: data still readable
    assert InjuryRecord.objects.get(pk=record.pk).personal_clear()["name"] == "王小明"


def test_rotation_without_downtime(settings, make_record):
    settings.PERSONAL_DATA_KEYS = []  # the demo's key derived from SECRET_KEY
    old = _record(make_record, "张三")
    settings.PERSONAL_DATA_KEYS = [K1]
    mid = _record(make_record, "李四")
    settings.PERSONAL_DATA_KEYS = [K2, K1]  # new key first; the old ones still decrypt
    assert InjuryRecord.objects.get(pk=old.pk).personal_clear()["name"] == "张三"
    assert InjuryRecord.objects.get(pk=mid.pk).personal_clear()["name"] == "李四"
    new = _record(make_record, "赵五")
    assert _raw(new).startswith("g2:k2:")
    out = StringIO()
    call_command("personal_keys", "rotate", "--batch", "1", stdout=out)
    assert "re-encrypted 6 values" in out.getvalue()  # 3 fields × the 2 older records
    assert all(_raw(r).startswith("g2:k2:") for r in (old, mid, new))
    settings.PERSONAL_DATA_KEYS = [K2]  # old keys dropped: everything reads
    assert [InjuryRecord.objects.get(pk=r.pk).personal_clear()["name"] for r in (old, mid, new)] == ["张三", "李四", "赵五"]
    assert keys.key_usage()["injuries.InjuryRecord"] == {"k2": 9}
    out = StringIO()
    call_command("personal_keys", "status", stdout=out)
    assert "current key: k2" in out.getvalue()


def test_a_dropped_key_makes_values_unreadable_not_wrong(settings, make_record):
    settings.PERSONAL_DATA_KEYS = [K1]
    record = _record(make_record)
    settings.PERSONAL_DATA_KEYS = [K2]
    assert InjuryRecord.objects.get(pk=record.pk).personal_clear()["name"] == "[unreadable]"


def test_new_key_and_bad_key_setting(settings):
    out = StringIO()
    call_command("personal_keys", "new", "--id", "k9", stdout=out)
    line = out.getvalue().strip()
    assert personal.parse_key(line)[0] == "k9" and len(personal.parse_key(line)[1]) == 32
    with pytest.raises(personal.BadKey):
        personal.parse_key("k1:short")
    from safecommunity.security.checks import personal_data_keys

    settings.PERSONAL_DATA_KEYS = ["bad key:xx"]
    assert personal_data_keys(None)[0].id == "security.E001"


def test_viewing_clear_personal_data_is_audited(make_record, unit_a, district_a, client_for):
    from auditlog.models import LogEntry

    record = _record(make_record)
    assert client_for(district_a).get(f"/injuries/records/{record.pk}/").status_code == 200  # masked: not logged
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    assert client_for(unit_a).get(f"/injuries/records/{record.pk}/").status_code == 200
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == unit_a and entry.object_pk == str(record.pk) and hasattr(entry, "seal")
