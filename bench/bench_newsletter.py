"""Newsletter sending: a campaign to 20,000 recipients into a local SMTP sink.

1. Speed, in alternating rounds (the machine's load drifts; alternating keeps both sides
   under the same conditions): each round, a bare smtplib loop sends the same message
   bytes (same composer, one connection, no bookkeeping) to a list of recipients/10, then
   `hemicycle send_newsletters` sends a campaign to another list of the same size, both
   in child processes. Rates are measured by the sink (first to last message of each
   run); ratio_vs_smtplib = worker messages/s over baseline messages/s (target >= 0.8).
2. One campaign to all the recipients: wall time and the worker's peak memory (max RSS).
3. The crash run: a second campaign; the worker is killed (SIGKILL) at about 30 % and
   again at about 70 % (mid-batch), restarted each time; the sink must hold exactly one
   message per recipient. crash_rows_recovered_from_sending counts the rows the restarted
   worker found handed over in the dead one's journal but not yet recorded as sent.

The sink is an aiosmtpd server in its own process that appends one line per message.
Runs against a fresh SQLite database in a temporary directory (or DATABASE_URL if set).
Prints one JSON object. `--recipients N` for a quicker run.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the sink (child process) ----------------------------------------------------------


def run_sink(port: int, path: str) -> None:
    from aiosmtpd.controller import Controller

    out = open(path, "a", buffering=1)  # noqa: SIM115 - open for the process's life

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            message_id = ""
            for line in envelope.content.split(b"\r\n"):
                if not line:
                    break
                if line[:11].lower() == b"message-id:":
                    message_id = line[11:].strip().decode()
            out.write(f"{time.monotonic()} {message_id} {envelope.rcpt_tos[0]}\n")
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *a: (controller.stop(), sys.exit(0)))
    while True:
        time.sleep(3600)


class SinkProcess:
    def __init__(self, workdir: Path, name: str) -> None:
        self.port = free_port()
        self.path = workdir / f"sink-{name}.log"
        self.path.touch()
        self.proc = subprocess.Popen([sys.executable, __file__, "--sink", str(self.port),
                                      str(self.path)])
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    def lines(self) -> list[list[str]]:
        return [line.split() for line in self.path.read_text().splitlines() if line.strip()]

    def count(self) -> int:
        with open(self.path, "rb") as f:
            return sum(1 for _ in f)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def rate(lines: list[list[str]]) -> float:
    times = [float(line[0]) for line in lines]
    return (len(times) - 1) / (max(times) - min(times)) if len(times) > 1 else 0.0


# --- Django-side helpers (parent and children) -----------------------------------------


def django_setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def run_baseline(code: str) -> None:
    """The bare loop: the same message bytes (the same composer and per-batch template
    as the worker), smtplib.sendmail, one connection, no bookkeeping."""
    import smtplib
    from email.utils import parseaddr

    from django.conf import settings

    from hemicycle.newsletters.composing import (
        MessageTemplate,
        campaign_compose,
        mail_domain,
        message_id,
    )
    from hemicycle.newsletters.models import Campaign

    campaign = Campaign.objects.select_related("workspace").get(code=code)
    composed = campaign_compose(campaign)
    sender = parseaddr(composed.from_email)[1]
    domain = mail_domain()
    rows = list(campaign.mailing_list.subscribers.order_by("pk").values_list("pk", "email",
                                                                             "name"))
    with smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT) as smtp:
        for n, (pk, email, name) in enumerate(rows):
            if n % 200 == 0:
                template = MessageTemplate(composed)
            data = template.render(email=email, name=name, delivery_pk=pk,
                                   msgid=message_id(campaign, pk, domain))
            # sendmail dot-stuffs again: give it the bytes as they were before that.
            smtp.sendmail(sender, [email], data.replace(b"\r\n..", b"\r\n."))


def child_env(base: dict, sink: SinkProcess) -> dict:
    return {**os.environ, **base, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "False", "EMAIL_USE_SSL": "False",
            "NEWSLETTER_RATE_PER_SECOND": "0", "NEWSLETTER_RATE_PER_HOUR": "0"}


def worker(env: dict, code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hemicycle", "send_newsletters",
                             "--campaign", code], env=env, stdout=subprocess.DEVNULL, cwd=ROOT)


def wait_rusage(proc: subprocess.Popen) -> tuple[int, float]:
    """(exit status, peak RSS in MB) of a child."""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


def make_campaign(workspace, mailing_list, subject: str, launch: bool = True):
    from hemicycle.newsletters.models import Campaign
    from hemicycle.newsletters.sending import campaign_launch

    body = ("## Budget 2027 : nos propositions\n\nLe Département a présenté son budget. "
            "Nos élu·e·s ont défendu **trois amendements** : https://example.org/budget-2027"
            "\n\n- collèges\n- cantines bio\n- éducation populaire\n\n" + "Texte. " * 200)
    campaign = Campaign.objects.create(workspace=workspace, subject=subject, body=body,
                                       mailing_list=mailing_list)
    if launch:
        campaign_launch(campaign=campaign)
    return campaign


def make_list(workspace, name: str, emails: list[str]):
    from hemicycle.newsletters import services
    from hemicycle.newsletters.models import Subscriber

    mailing_list = services.mailing_list_create(workspace=workspace, name=name,
                                                consent_text="J'accepte.")
    consent = mailing_list.current_consent()
    Subscriber.objects.bulk_create(
        [Subscriber(mailing_list=mailing_list, email=email, name=f"Abonné·e {n}",
                    status=Subscriber.Status.SUBSCRIBED, consent=consent)
         for n, email in enumerate(emails)], batch_size=2000)
    return mailing_list


def setup_data(recipients: int, rounds: int):
    from django.core.management import call_command

    from hemicycle.accounts.models import Workspace
    from hemicycle.territory.models import Assembly, Region

    call_command("migrate", verbosity=0)
    region, _ = Region.objects.get_or_create(code="32", defaults={"name": "Hauts-de-France"})
    assembly, _ = Assembly.objects.get_or_create(
        kind=Assembly.Kind.REGION, code="32", defaults={"name": "Conseil régional",
                                                        "region": region})
    workspace, _ = Workspace.objects.get_or_create(
        slug="bench", defaults={"assembly": assembly, "name": "Groupe de banc d'essai",
                                "short_name": "Banc"})
    emails = [f"abonne{n:05d}@example.org" for n in range(recipients)]
    size = recipients // rounds
    slices = [make_list(workspace, f"Tranche {r}", [f"t{r}-{e}" for e in emails[:size]])
              for r in range(2 * rounds)]
    return workspace, make_list(workspace, "Lettre", emails), slices


def main(recipients: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="hemicycle-bench-newsletter-"))
    base = {"DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                     "hemicycle.settings"),
            "VAR_DIR": os.environ.get("VAR_DIR", str(workdir)), "DEBUG": "False",
            "SECRET_KEY": "bench-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
            "SITE_URL": "https://hemicycle.example.org"}
    django_setup(base)
    from django.db import connection

    rounds = 10
    workspace, mailing_list, slices = setup_data(recipients, rounds)
    connection.close()

    # 1. Alternating rounds: the bare smtplib loop, then the worker, each on its own list.
    baseline_lines, worker_lines = [], []
    baseline_rss = worker_rss = 0.0
    for r in range(rounds):
        sink = SinkProcess(workdir, f"baseline-{r}")
        reference = make_campaign(workspace, slices[2 * r], f"Référence {r}", launch=False)
        connection.close()
        proc = subprocess.Popen([sys.executable, __file__, "--baseline", str(reference.code)],
                                env=child_env(base, sink), cwd=ROOT)
        baseline_rss = max(baseline_rss, wait_rusage(proc)[1])
        baseline_lines.append(sink.lines())
        sink.stop()
        sink = SinkProcess(workdir, f"worker-{r}")
        campaign = make_campaign(workspace, slices[2 * r + 1], f"Tranche {r}")
        connection.close()
        status, rss = wait_rusage(worker(child_env(base, sink), str(campaign.code)))
        assert status == 0, "the worker failed"
        worker_rss = max(worker_rss, rss)
        worker_lines.append(sink.lines())
        sink.stop()
    baseline_rate = sum(map(len, baseline_lines)) / sum(
        len(lines) / rate(lines) for lines in baseline_lines)
    campaign_rate = sum(map(len, worker_lines)) / sum(
        len(lines) / rate(lines) for lines in worker_lines)

    # 2. One campaign to everyone.
    sink = SinkProcess(workdir, "campaign")
    first = make_campaign(workspace, mailing_list, "Lettre à tout le monde")
    connection.close()
    started = time.perf_counter()
    status, full_rss = wait_rusage(worker(child_env(base, sink), str(first.code)))
    full_wall = time.perf_counter() - started
    lines = sink.lines()
    sink.stop()
    assert status == 0, "the worker failed"

    # 3. The crash run.
    sink = SinkProcess(workdir, "crash")
    second = make_campaign(workspace, mailing_list, "Lettre interrompue")
    connection.close()
    env = child_env(base, sink)
    kills = []
    for fraction in (0.3, 0.7):
        proc = worker(env, str(second.code))
        # Off the batch boundaries (multiples of 100), so that the kill lands mid-batch,
        # with rows claimed, some handed over and not yet recorded as sent.
        while sink.count() < fraction * recipients + 37 and proc.poll() is None:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        wait_rusage(proc)
        kills.append(sink.count())
    proc = worker(env, str(second.code))
    restart_status, _rss = wait_rusage(proc)
    time.sleep(0.5)  # the sink writes its last lines
    crash_lines = sink.lines()
    sink.stop()

    from hemicycle.newsletters.models import Delivery

    counts = {s: Delivery.objects.filter(campaign=second, status=s).count()
              for s in Delivery.Status.values}
    print(json.dumps({
        "recipients": recipients,
        "rounds": rounds,
        "baseline_smtplib_msgs_per_s": round(baseline_rate, 1),
        "campaign_msgs_per_s": round(campaign_rate, 1),
        "ratio_vs_smtplib": round(campaign_rate / baseline_rate, 3) if baseline_rate else None,
        "ratio_per_round": [round(rate(w) / rate(b), 3)
                            for b, w in zip(baseline_lines, worker_lines, strict=True)],
        "full_campaign_wall_s": round(full_wall, 2),
        "full_campaign_msgs_per_s": round(rate(lines), 1),
        "full_campaign_received": len(lines),
        "worker_peak_rss_mb": round(full_rss, 1),
        "worker_peak_rss_mb_rounds": round(worker_rss, 1),
        "baseline_peak_rss_mb_rounds": round(baseline_rss, 1),
        "crash_killed_at_received": kills,
        "crash_restart_exit_status": restart_status,
        "received_total": len(crash_lines),
        "received_unique": len({line[2] for line in crash_lines}),
        "received_unique_message_ids": len({line[1] for line in crash_lines}),
        "crash_deliveries": counts,
        "crash_rows_recovered_from_sending": Delivery.objects.filter(
            campaign=second, uncertain=True).count(),
        "database": connection.vendor,
    }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--sink", nargs=2, metavar=("PORT", "FILE"))
    parser.add_argument("--baseline", metavar="CAMPAIGN_CODE")
    args = parser.parse_args()
    if args.sink:
        run_sink(int(args.sink[0]), args.sink[1])
    elif args.baseline:
        django_setup({})
        run_baseline(args.baseline)
    else:
        main(args.recipients)
