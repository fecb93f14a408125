"""A private Dovecot IMAP server for the bounce-mailbox tests (Debian's dovecot-imapd).

Its own configuration, runtime, state and mail directories in a temporary directory,
passwd-file authentication, listening on 127.0.0.1 on a free port, started in the
foreground in its own process group and stopped with it. Run as a normal user, every
Dovecot process runs as that user; run as root (a CI container), Dovecot insists on
unprivileged users for its login and mail processes: it uses the package's ``dovenull``
and ``dovecot`` accounts. Tests using it are skipped when Dovecot is not installed.
"""

import contextlib
import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    log: Path

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        client.select("INBOX")
        return client

    def append(self, raw: bytes) -> None:
        client = self.client()
        client.append("INBOX", None, None, raw)
        client.logout()

    def messages(self) -> list[tuple[bytes, set[str]]]:
        """(raw message, flags) of every message still in the INBOX."""
        client = self.client()
        found = []
        _status, data = client.uid("SEARCH", None, "ALL")
        for uid in (data[0] or b"").split():
            _status, parts = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
            head, raw = next(p for p in parts if isinstance(p, tuple))
            flags = set(imaplib.ParseFlags(head)) if b"FLAGS" in head else set()
            found.append((raw, {f.decode() for f in flags}))
        client.logout()
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accounts() -> dict:
    """Who the processes run as: the current user, or Dovecot's own accounts as root."""
    if os.geteuid() != 0:
        me, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
        return {"login": me, "internal": me, "group": group, "uid": os.getuid(),
                "gid": os.getgid()}
    try:
        mail = pwd.getpwnam("dovecot")
        pwd.getpwnam("dovenull")
    except KeyError:
        pytest.skip("running as root without the dovecot/dovenull accounts of the package")
    return {"login": "dovenull", "internal": "dovecot",
            "group": grp.getgrgid(mail.pw_gid).gr_name, "uid": mail.pw_uid,
            "gid": mail.pw_gid}


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  user = {login}
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {internal}
}}
service auth-worker {{
  user = {internal}
}}
"""


@pytest.fixture
def dovecot():
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed (Debian package: dovecot-imapd)")
    accounts = _accounts()
    # Not pytest's tmp_path: Dovecot's unprivileged processes must be able to reach it.
    root = Path(tempfile.mkdtemp(prefix="hc-dovecot-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir()
    if os.geteuid() == 0:
        for name in ("mail", "home"):
            os.chown(root / name, accounts["uid"], accounts["gid"])
    server = ImapServer("127.0.0.1", _free_port(), "retours", "mot-de-passe-de-test",
                        root / "dovecot.log")
    (root / "passwd").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
    (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=server.port, **accounts))
    with open(root / "stderr.log", "wb") as stderr:
        process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                   stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection((server.host, server.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log = server.log.read_text() if server.log.exists() else ""
                pytest.fail(f"Dovecot did not start: {(root / 'stderr.log').read_text()}{log}")
            time.sleep(0.1)
        yield server
    finally:
        # The whole group: the master and the processes it forked.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
