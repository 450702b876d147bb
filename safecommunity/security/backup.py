"""Backup and restore: the database (pg_dump/pg_restore for PostgreSQL, SQLite's online backup
API for the embedded database) and the uploaded files under MEDIA_ROOT, with a manifest that
holds the SHA-256 of every file and the row count of every table. A restore checks the backup's
checksums before it touches anything and the row counts and files after.

A backup is a folder:
    manifest.json   created, engine, database file and its SHA-256, tables {name: rows}, media {path: SHA-256}
    database.dump   (PostgreSQL, custom format)  or  database.sqlite3
    media/…         a copy of MEDIA_ROOT
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_checksums(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres"), "-d", connection.settings_dict["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    if shutil.which(cmd[0]) is None:
        raise BackupError(f"{cmd[0]} is not installed (PostgreSQL client tools).")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(target: Path) -> dict:
    """Write a backup folder `target` (must not exist yet); returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} exists and is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        # the row counts and the dump read one snapshot, so they agree while others write
        dump = target / "database.dump"
        args, env = _pg_env()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = table_counts()
            _run(["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(dump), *args], env)
    elif vendor == "sqlite":
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        out = sqlite3.connect(dump)
        try:
            connection.connection.backup(out)
            counts = {t: out.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(
                r[0] for r in out.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"))}
        finally:
            out.close()
    else:
        raise BackupError(f"No backup for the {vendor} database.")
    media_root = Path(settings.MEDIA_ROOT)
    media = media_checksums(media_root)
    if media:
        shutil.copytree(media_root, target / "media", dirs_exist_ok=True)
    manifest = {
        "created": timezone.now().isoformat(), "engine": vendor, "database": dump.name,
        "database_sha256": sha256_file(dump), "tables": counts, "media": media,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def check(source: Path) -> dict:
    """The manifest of the backup folder `source`, after checking every checksum in it."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source}: no readable {MANIFEST}.") from exc
    if sha256_file(source / manifest["database"]) != manifest["database_sha256"]:
        raise BackupError(f"{manifest['database']}: checksum does not match the manifest.")
    for rel, digest in manifest["media"].items():
        path = source / "media" / rel
        if not path.is_file() or sha256_file(path) != digest:
            raise BackupError(f"media/{rel}: missing or checksum does not match the manifest.")
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and MEDIA_ROOT's files by the backup's; returns the manifest.
    Raises BackupError (before any change) when the backup is damaged or of another engine."""
    source = Path(source)
    manifest = check(source)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(f"The backup is of a {manifest['engine']} database, this one is {vendor}.")
    if vendor == "postgresql":
        args, env = _pg_env()
        for conn in connections.all():
            conn.close()
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
              str(source / manifest["database"])], env)
    else:
        connection.ensure_connection()
        src = sqlite3.connect(source / manifest["database"])
        try:
            src.backup(connection.connection)
        finally:
            src.close()
    media_root = Path(settings.MEDIA_ROOT)
    if manifest["media"]:
        for rel in manifest["media"]:
            dest = media_root / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / "media" / rel, dest)
    counts = table_counts()
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Restored row counts differ from the backup's: {wrong}")
    changed = [rel for rel, digest in manifest["media"].items() if sha256_file(media_root / rel) != digest]
    if changed:
        raise BackupError(f"Restored files differ from the backup's: {changed[:10]}")
    return manifest
