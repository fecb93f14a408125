"""A real WordPress on loopback for the tests of the publishing module.

Debian's `wordpress` package (6.1) served by PHP's built-in server, on a private MariaDB:

    from hemicycle.publishing.tests.wordpress_server import wordpress_site  # noqa: F401

    def test_a_post_reaches_the_website(wordpress_site):
        response = httpx.post(wordpress_site.api_url("/wp/v2/posts"),
                              auth=wordpress_site.auth, json={"title": "Bonjour"})

`wordpress_site` (session-scoped) is a `WordPressSite`: `.url` ("http://127.0.0.1:PORT/"),
`.username`, `.password` (to log in), `.app_password` (the application password, for
HTTP basic auth on the REST API), `.auth` (the pair for httpx), `.api_url(route, **query)`
(REST routes go through `?rest_route=`: plain permalinks) and `.version`. One site serves
the whole session: tests should find their own posts by id, not count all of them.

Each run is private, so several runs can go at once: MariaDB in a directory of its own
(on /dev/shm when it has room, else in the temporary directory) listening only on a unix
socket there, PHP on a free port of 127.0.0.1, and a config file of its own. Debian's
/usr/share/wordpress/wp-config.php loads /etc/wordpress/config-NAME.php when the server
variable WORDPRESS_CONFIG is NAME (else it goes by the Host header, which would be the
same for every run); scripts/wordpress/router.php sets it from the environment.
Everything is stopped and deleted at the end; a run killed outright is swept by the next.

Without the packages (apt-get install --no-install-recommends wordpress mariadb-server
php-cli php-mysql) or without write access to /etc/wordpress, the tests that use the
site are skipped, except under CI (CI=true), where that is a failure.

`scripts/with-wordpress COMMAND` (this module run as a program) starts the same site for
a command, with WORDPRESS_URL, WORDPRESS_USERNAME, WORDPRESS_PASSWORD and
WORDPRESS_APP_PASSWORD in its environment; without a command it prints them and waits.
"""

import contextlib
import glob
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

WORDPRESS_ROOT = Path("/usr/share/wordpress")
CONFIG_DIR = Path("/etc/wordpress")
CONFIG_PREFIX = "config-hemicycle-test-"
SCRIPTS = Path(__file__).resolve().parents[3] / "scripts" / "wordpress"
RUN_PREFIX = "hemicycle-wp-"
SHM = Path("/dev/shm")
SHM_NEEDED = 512 * 1024 * 1024  # bytes free on /dev/shm to use it (the database is ~100 MB)
# MariaDB for a throw-away database: small files, no fsync, no durability.
INNODB_OPTIONS = [
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-data-file-path=ibdata1:4M:autoextend",
    "--innodb-temp-data-file-path=ibtmp1:4M:autoextend",
    "--innodb-flush-method=nosync",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
]
START_TIMEOUT = 60.0  # seconds, for each step of the start-up
PACKAGES = "wordpress mariadb-server php-cli php-mysql"


@dataclass(frozen=True)
class WordPressSite:
    url: str  # http://127.0.0.1:PORT/
    username: str
    password: str  # the administrator's login password
    app_password: str  # an application password: HTTP basic auth on the REST API
    version: str

    @property
    def auth(self) -> tuple[str, str]:
        return (self.username, self.app_password)

    def api_url(self, route: str, **params) -> str:
        """The URL of a REST route such as "/wp/v2/posts", with its query parameters.

        Routes go in the query string (plain permalinks), so pass parameters here: httpx's
        `params=` would replace the query string, `rest_route` included."""
        return f"{self.url}?{urlencode({'rest_route': route, **params}, safe='/,')}"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _binary(name: str) -> str | None:
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin:/sbin"
    return shutil.which(name, path=path)


def wordpress_missing() -> str | None:
    """Why a WordPress cannot be started here, or None when it can."""
    missing = []
    if not (WORDPRESS_ROOT / "wp-load.php").is_file():
        missing.append("wordpress")
    if not (_binary("mariadbd") and _binary("mariadb-install-db") and _binary("mariadb")):
        missing.append("mariadb-server")
    php = _binary("php")
    if php is None:
        missing.append("php-cli")
    else:
        loaded = subprocess.run(
            [php, "-r", "exit(extension_loaded('mysqli') ? 0 : 1);"], capture_output=True
        )
        if loaded.returncode != 0:
            missing.append("php-mysql")
    if missing:
        return (
            f"no WordPress test site: missing {' '.join(missing)} "
            f"(apt-get install --no-install-recommends {PACKAGES})"
        )
    if not os.access(CONFIG_DIR, os.W_OK):
        return f"no WordPress test site: {CONFIG_DIR} is not writable (run as root)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _kill_group(pgid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_bases() -> list[Path]:
    """Where run directories go: RAM (/dev/shm) when it has room, as disk writes are
    what start-up waits for on a busy machine; else the temporary directory."""
    bases = [Path(tempfile.gettempdir())]
    with contextlib.suppress(OSError):
        stat = os.statvfs(SHM)
        if os.access(SHM, os.W_OK) and stat.f_bavail * stat.f_frsize >= SHM_NEEDED:
            bases.insert(0, SHM)
    return bases


def sweep_stale_runs() -> None:
    """Stop and delete what runs killed outright (SIGKILL, OOM) left behind.

    A run directory records its owner's pid and its process groups; a process group is
    only killed when its leader's command line names that directory."""
    runs = [path for base in {SHM, Path(tempfile.gettempdir())} for path in
            glob.glob(os.path.join(base, RUN_PREFIX + "*"))]  # fmt: skip
    for run in runs:
        run_dir = Path(run)
        try:
            owner = int((run_dir / "owner.pid").read_text())
        except (OSError, ValueError):
            continue  # being created, or not ours
        if _process_alive(owner):
            continue
        for line in _read_lines(run_dir / "groups"):
            with contextlib.suppress(ValueError, OSError):
                pgid = int(line)
                cmdline = Path(f"/proc/{pgid}/cmdline").read_bytes().decode(errors="replace")
                if str(run_dir) in cmdline:
                    _kill_group(pgid)
        shutil.rmtree(run_dir, ignore_errors=True)
    for config in CONFIG_DIR.glob(CONFIG_PREFIX + "*.php"):
        match = re.search(r"^// run: (.+)$", _read_head(config), re.MULTILINE)
        if match and not Path(match.group(1)).exists():
            with contextlib.suppress(OSError):
                config.unlink()


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text().split()
    except OSError:
        return []


def _read_head(path: Path) -> str:
    try:
        with path.open(errors="replace") as f:
            return f.read(500)
    except OSError:
        return ""


class WordPressServer:
    """A throw-away WordPress: `with WordPressServer() as site: ...` (a WordPressSite)."""

    def __init__(self, username: str = "admin", email: str = "admin@example.org"):
        self.username = username
        self.email = email
        self.password = secrets.token_urlsafe(16)
        # Names /etc/wordpress/config-hemicycle-test-TOKEN.php, this run's config.
        self.config_name = CONFIG_PREFIX[len("config-") :] + secrets.token_hex(6)
        self.run_dir: Path | None = None
        self.config_file: Path | None = None
        # Each server leads its own process group, stopped with its signal at the end.
        self.processes: list[tuple[subprocess.Popen, int]] = []
        self.site: WordPressSite | None = None
        self.timings: dict[str, float] = {}

    # -- start ---------------------------------------------------------------------

    def start(self) -> WordPressSite:
        reason = wordpress_missing()
        if reason:
            raise RuntimeError(reason)
        sweep_stale_runs()
        began = time.monotonic()
        try:
            self.run_dir = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=run_bases()[0]))
            (self.run_dir / "owner.pid").write_text(str(os.getpid()))
            self._step("mariadb", self._start_mariadb)
            db_password = self._step("database", self._create_database)
            port = self._step("php", self._start_php)
            url = f"http://127.0.0.1:{port}/"
            self._write_config(url, db_password)
            installed = self._step("install", lambda: self._install(url))
            self._step("rest", lambda: self._wait_for_rest(url))
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = time.monotonic() - began
        self.site = WordPressSite(
            url=url,
            username=self.username,
            password=self.password,
            app_password=installed["app_password"],
            version=installed["version"],
        )
        return self.site

    def _step(self, name, function):
        began = time.monotonic()
        result = function()
        self.timings[name] = time.monotonic() - began
        return result

    def _spawn(
        self, args: list[str], log: Path, env: dict | None = None, stop_signal=signal.SIGKILL
    ) -> subprocess.Popen:
        """A server in its own process group: its whole group gets `stop_signal` at the end."""
        with log.open("ab") as out:
            process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd="/",
                start_new_session=True,
            )
        self.processes.append((process, stop_signal))
        with (self.run_dir / "groups").open("a") as f:
            f.write(f"{process.pid}\n")
        return process

    def _start_mariadb(self) -> None:
        mysql_dir = self.run_dir / "mysql"
        mysql_dir.mkdir()
        owner = []
        if os.geteuid() == 0:
            # MariaDB refuses to run as root: it runs as `mysql`, which must reach its files.
            try:
                user = pwd.getpwnam("mysql")
            except KeyError:
                owner = ["--user=root"]
            else:
                os.chmod(self.run_dir, 0o755)
                os.chown(mysql_dir, user.pw_uid, user.pw_gid)
                owner = ["--user=mysql"]
        data = mysql_dir / "data"
        self.socket_path = mysql_dir / "mysqld.sock"
        install = subprocess.run(
            [
                _binary("mariadb-install-db"),
                "--no-defaults",
                f"--datadir={data}",
                *owner,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve",
                *INNODB_OPTIONS,  # passed on to the server it bootstraps
            ],
            cwd="/",
            capture_output=True,
            text=True,
        )
        if install.returncode != 0:
            raise RuntimeError(f"mariadb-install-db failed:\n{install.stdout}{install.stderr}")
        log = self.run_dir / "mariadb.log"
        self._spawn(
            [
                _binary("mariadbd"),
                "--no-defaults",
                f"--datadir={data}",
                *owner,
                f"--socket={self.socket_path}",
                "--skip-networking",
                f"--pid-file={mysql_dir / 'mysqld.pid'}",
                "--skip-log-bin",
                "--skip-name-resolve",
                *INNODB_OPTIONS,
            ],
            log,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.processes[-1][0].poll() is not None:
                raise RuntimeError(f"MariaDB did not start:\n{_tail(log)}")
            if self.socket_path.exists():
                with socket.socket(socket.AF_UNIX) as sock, contextlib.suppress(OSError):
                    sock.connect(str(self.socket_path))
                    return
            time.sleep(0.05)
        raise RuntimeError(f"MariaDB did not answer within {START_TIMEOUT:.0f} s:\n{_tail(log)}")

    def _create_database(self) -> str:
        password = secrets.token_hex(16)
        sql = (
            "CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
            f"CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '{password}';"
            "GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';"
        )
        result = subprocess.run(
            [_binary("mariadb"), "--no-defaults", f"--socket={self.socket_path}", "-uroot"],
            input=sql,
            capture_output=True,
            text=True,
            cwd="/",
        )
        if result.returncode != 0:
            raise RuntimeError(f"creating the WordPress database failed:\n{result.stderr}")
        return password

    def _php_env(self) -> dict:
        env = dict(os.environ)
        env.update(
            HEMICYCLE_WP_CONFIG=self.config_name,
            HEMICYCLE_WP_CONTENT=str(self.run_dir / "wp-content"),
        )
        return env

    def _start_php(self) -> int:
        content = self.run_dir / "wp-content"
        for sub in ("plugins", "themes", "uploads"):
            (content / sub).mkdir(parents=True)
        env = self._php_env()
        env["PHP_CLI_SERVER_WORKERS"] = "2"  # WordPress may call itself
        log = self.run_dir / "php-server.log"
        # A free port can be taken between the check and the start: try a few.
        for _attempt in range(5):
            port = _free_port()
            process = self._spawn(
                [
                    _binary("php"),
                    "-d", "upload_max_filesize=64M",
                    "-d", "post_max_size=64M",
                    "-d", "memory_limit=256M",
                    "-d", "opcache.enable_cli=1",
                    # The run directory on the command line lets a later run find strays.
                    "-d", f"error_log={self.run_dir / 'php-error.log'}",
                    "-S", f"127.0.0.1:{port}",
                    "-t", str(WORDPRESS_ROOT),
                    str(SCRIPTS / "router.php"),
                ],
                log,
                env,
                # On SIGINT the server stops its workers and waits for them (on SIGTERM
                # it would leave them running; on SIGKILL, as zombies).
                stop_signal=signal.SIGINT,
            )  # fmt: skip
            deadline = time.monotonic() + START_TIMEOUT
            while time.monotonic() < deadline and process.poll() is None:
                with socket.socket() as sock, contextlib.suppress(OSError):
                    sock.connect(("127.0.0.1", port))
                    return port
                time.sleep(0.05)
            _kill_group(process.pid, signal.SIGINT)
            process.wait()
        raise RuntimeError(f"PHP's built-in server did not start:\n{_tail(log)}")

    def _write_config(self, url: str, db_password: str) -> None:
        home = url.rstrip("/")
        defines = {
            "DB_NAME": "wordpress",
            "DB_USER": "wordpress",
            "DB_PASSWORD": db_password,
            "DB_HOST": f"localhost:{self.socket_path}",
            "DB_CHARSET": "utf8mb4",
            "WP_HOME": home,
            "WP_SITEURL": home,
            "WP_CONTENT_DIR": str(self.run_dir / "wp-content"),
            "WP_CONTENT_URL": f"{home}/wp-content",
        }
        defines.update(
            {
                key: secrets.token_hex(32)
                for key in (
                    "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT",
                )
            }
        )  # fmt: skip
        lines = [
            "<?php",
            "// Written by hemicycle/publishing/tests/wordpress_server.py for one test run,",
            "// deleted when it ends (or by the next run if this directory is gone).",
            f"// run: {self.run_dir}",
        ]
        lines += [f"define('{key}', {_php_string(value)});" for key, value in defines.items()]
        lines += [
            # Application passwords need HTTPS, or the "local" environment.
            "define('WP_ENVIRONMENT_TYPE', 'local');",
            "define('DISABLE_WP_CRON', true);",
            "define('AUTOMATIC_UPDATER_DISABLED', true);",
            # No calls to wordpress.org (loopback stays allowed).
            "define('WP_HTTP_BLOCK_EXTERNAL', true);",
            "define('FS_METHOD', 'direct');",
            "define('WP_DEBUG', false);",
            "$table_prefix = 'wp_';",
            "",
        ]
        self.config_file = CONFIG_DIR / f"config-{self.config_name}.php"
        temporary = self.config_file.with_suffix(".tmp")
        temporary.write_text("\n".join(lines))
        os.chmod(temporary, 0o644)
        os.replace(temporary, self.config_file)

    def _install(self, url: str) -> dict:
        env = self._php_env()
        env.update(
            HEMICYCLE_WP_URL=url,
            HEMICYCLE_WP_USER=self.username,
            HEMICYCLE_WP_PASSWORD=self.password,
            HEMICYCLE_WP_EMAIL=self.email,
        )
        result = subprocess.run(
            [_binary("php"), "-d", "memory_limit=256M", str(SCRIPTS / "install.php")],
            env=env,
            capture_output=True,
            text=True,
            cwd="/",
            timeout=START_TIMEOUT,
        )
        last = result.stdout.strip().splitlines()[-1:] or [""]
        try:
            installed = json.loads(last[0])
        except ValueError:
            installed = None
        if result.returncode != 0 or not isinstance(installed, dict):
            raise RuntimeError(
                f"installing WordPress failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}{result.stderr[-2000:]}"
            )
        return installed

    def _wait_for_rest(self, url: str) -> None:
        probe = f"{url}?rest_route=/wp/v2/posts"
        deadline = time.monotonic() + START_TIMEOUT
        error = None
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy
        while time.monotonic() < deadline:
            try:
                with opener.open(probe, timeout=10) as response:
                    if response.status == 200:
                        json.load(response)
                        return
            except (OSError, ValueError) as exc:
                error = exc
            time.sleep(0.1)
        raise RuntimeError(
            f"WordPress's REST API did not answer at {probe}: {error}\n"
            f"{_tail(self.run_dir / 'php-server.log')}"
        )

    # -- stop ----------------------------------------------------------------------

    def stop(self) -> None:
        for process, stop_signal in reversed(self.processes):
            _kill_group(process.pid, stop_signal)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _kill_group(process.pid)
                process.wait()
            _kill_group(process.pid)  # any straggler
        self.processes.clear()
        if self.config_file is not None:
            with contextlib.suppress(FileNotFoundError):
                self.config_file.unlink()
            self.config_file = None
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self.run_dir = None

    def __enter__(self) -> WordPressSite:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


# One site per process, even when the fixture is imported in several places (a conftest
# and a test module each make their own session fixture of it): counted users.
_shared: dict = {"server": None, "site": None, "users": 0}


@pytest.fixture(scope="session")
def wordpress_site():
    """A real WordPress for the whole session (see the module's docstring)."""
    reason = wordpress_missing()
    if reason:
        if in_ci():
            pytest.fail(f"{reason} (a missing WordPress fails under CI)", pytrace=False)
        pytest.skip(reason)
    if _shared["users"] == 0:
        server = WordPressServer()
        _shared["site"] = server.start()
        _shared["server"] = server
    _shared["users"] += 1
    try:
        yield _shared["site"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            _shared["server"].stop()
            _shared["server"] = _shared["site"] = None


def main(argv: list[str]) -> int:
    """scripts/with-wordpress [COMMAND...]: a WordPress for a command, or until Ctrl-C."""
    reason = wordpress_missing()
    if reason:
        print(f"with-wordpress: {reason}", file=sys.stderr)
        return 1

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    with WordPressServer() as site:
        env = dict(
            os.environ,
            WORDPRESS_URL=site.url,
            WORDPRESS_USERNAME=site.username,
            WORDPRESS_PASSWORD=site.password,
            WORDPRESS_APP_PASSWORD=site.app_password,
        )
        print(f"with-wordpress: WordPress {site.version} on {site.url}", file=sys.stderr)
        if argv:
            try:
                return subprocess.run(argv, env=env).returncode
            except KeyboardInterrupt:
                return 130
        for key in ("WORDPRESS_URL", "WORDPRESS_USERNAME", "WORDPRESS_PASSWORD",
                    "WORDPRESS_APP_PASSWORD"):  # fmt: skip
            print(f"{key}={env[key]}", flush=True)
        print("with-wordpress: Ctrl-C stops it", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
