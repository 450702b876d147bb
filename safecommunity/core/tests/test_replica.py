"""The read replica, tested against a real PostgreSQL streaming replica that this test starts:
a primary cluster and a replica made from it with `pg_basebackup -R`, each on a port of its own in
a temporary folder. Runs on the PostgreSQL pass of the suite (it needs PostgreSQL's server
binaries; skipped with the reason where they are missing)."""

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once, on the PostgreSQL pass of the suite",
)


def _bin_dir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))
    return Path(found[-1]).parent if found else None


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """Runs PostgreSQL's binaries as the `postgres` OS user when we are root (initdb refuses root)."""

    def __init__(self, bin_dir, root):
        self.bin, self.root = bin_dir, root
        self.as_postgres = os.geteuid() == 0

    def run(self, *args, check=True):
        cmd = [str(self.bin / args[0]), *map(str, args[1:])]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and done.returncode:
            raise AssertionError(f"{args[0]} failed: {done.stdout[-1500:]} {done.stderr[-1500:]}")
        return done

    def start(self, data, port):
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                       "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n")
        self.run("pg_ctl", "-D", data, "-l", data / "server.log", "-w", "-t", "60", "start")

    def stop(self, data):
        self.run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)


@pytest.fixture
def primary_and_replica():
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server binaries (initdb, pg_basebackup) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start a cluster as the postgres user")
    # pytest's tmp_path is private to root; the postgres user needs a folder it can enter.
    root = Path(tempfile.mkdtemp(prefix="sc-replica-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(bin_dir, root)
    primary, replica = root / "primary", root / "replica"
    cluster.run("initdb", "-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
    with open(primary / "pg_hba.conf", "a") as hba:
        hba.write("host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
    p_port, r_port = _free_port(), _free_port()
    cluster.start(primary, p_port)
    try:
        cluster.run("createdb", "-h", "127.0.0.1", "-p", p_port, "-U", "postgres", "safecommunity")
        cluster.run("pg_basebackup", "-h", "127.0.0.1", "-p", p_port, "-U", "postgres", "-D", replica,
                    "-R", "-X", "stream")
        cluster.start(replica, r_port)
        try:
            yield (f"postgres://postgres@127.0.0.1:{p_port}/safecommunity",
                   f"postgres://postgres@127.0.0.1:{r_port}/safecommunity")
        finally:
            cluster.stop(replica)
    finally:
        cluster.stop(primary)
        shutil.rmtree(root, ignore_errors=True)


def test_statistics_and_exports_read_the_replica_and_a_writer_reads_the_primary(primary_and_replica, tmp_path):
    primary_url, replica_url = primary_and_replica
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "REDIS_URL")}
    env.update(DATABASE_URL=primary_url, DATABASE_REPLICA_URL=replica_url,
               SAFECOMMUNITY_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="safecommunity.settings.base",
               DEBUG="false")
    scenario = Path(__file__).with_name("replica_scenario.py")
    done = subprocess.run([sys.executable, str(scenario)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])

    assert facts["replica_is_in_recovery"] is True  # a real standby, not a second primary
    assert facts["replicated"] is True
    assert facts["login_status"] == 302 and facts["pin_cookie_after_post"]
    status, on_primary, on_replica = facts["pinned_stats"]
    assert status == 200 and on_replica == 0  # just wrote (signed in): everything on the primary
    status, on_primary, on_replica = facts["stats"]
    assert status == 200 and on_replica > 0  # statistics: the figures come from the replica
    status, on_primary, on_replica = facts["list"]
    assert status == 200 and on_replica == 0  # a record list is read back after edits: primary
    status, on_primary, on_replica = facts["export"]
    assert status == 200 and on_replica > 0
    # replica paused: not there before, there right after the write (primary), not yet on the replica
    assert facts["read_after_write"] == [False, True, False]
    assert facts["caught_up"] is True
