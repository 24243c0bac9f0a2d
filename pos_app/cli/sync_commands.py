"""`pos-app enroll` and `pos-app sync --once|--daemon`: sync for a till without a screen."""

from __future__ import annotations

import argparse
import json
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from pos_app.sync.cycle import SyncRun
from pos_app.sync.daemon import SyncDaemon
from pos_app.sync.enrollment import EnrollmentError
from pos_app.sync.errors import SyncError, problem_of
from pos_app.sync.parked import parked_summary
from pos_app.till.back_office import refusal_words
from pos_app.wiring import enroll_till, open_sync, open_till


def add_sync_commands(commands: Any) -> None:
    enroll = commands.add_parser("enroll", help="enroll this till with a back office (S12)")
    enroll.add_argument("url", help="the back office's base URL, e.g. https://bo.example")
    enroll.add_argument("code", help="the one-time code from `pos-backoffice device-code`")
    enroll.add_argument("--device-name", default=socket.gethostname())
    enroll.add_argument(
        "--insecure",
        action="store_true",
        help="do not verify TLS certificates (a local test server only)",
    )
    sync = commands.add_parser("sync", help="upload the outbox and download changes")
    mode = sync.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--once",
        action="store_true",
        help="sync once; exit 0 when everything that can be sent was and the download is"
        " current (events the back office refused stay parked: counted, see `outbox`)",
    )
    mode.add_argument("--daemon", action="store_true", help="keep syncing until stopped")
    sync.add_argument("--interval", type=float, default=30.0, help="seconds between syncs")
    sync.add_argument("--json", action="store_true", help="print the outcome as JSON")


def run_sync_command(args: argparse.Namespace, data_dir: Path) -> int | None:
    if args.command == "enroll":
        return enroll(data_dir, args.url, args.code, args.device_name, not args.insecure)
    if args.command == "sync":
        if args.once:
            return sync_once(data_dir, as_json=args.json)
        return sync_daemon(data_dir, args.interval)
    return None


def enroll(
    data_dir: Path,
    url: str,
    code: str,
    device_name: str,
    verify_tls: bool,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    try:
        enrolled = enroll_till(data_dir, url, code, device_name=device_name, verify_tls=verify_tls)
    except SyncError as exc:
        print(f"enroll failed: {refusal_words(url, code, exc)}", file=sys.stderr)
        return 1
    settings = enrolled.settings
    print(
        f"enrolled as till {enrolled.till_number} of store {settings.store_id}"
        f" (device {settings.device_id})",
        file=out,
    )
    return 0


def sync_once(data_dir: Path, *, as_json: bool = False, out: TextIO | None = None) -> int:
    """Exit 0 when every event that can be sent was acknowledged (none waiting) and the
    download is current. Events the back office refused stay parked (S5): they cannot
    be sent as they are, so they do not fail the run; their count is printed."""
    out = out or sys.stdout
    with _enrolled_sync(data_dir) as run:
        if run is None:
            return 2
        try:
            status = run.run()
            error = None
        except SyncError as exc:
            status = run.offline_status(str(exc), problem_of(exc))
            error = str(exc)
        report = run.last_report if error is None else None
    complete = (
        error is None
        and status.pending_events == 0
        and report is not None
        and report.download_current
    )
    if as_json:
        json.dump(
            {
                "complete": complete,
                "online": status.online,
                "state": status.state,
                "pending_events": status.pending_events,
                "failed_events": status.failed_events,
                "parked_events": status.failed_events,
                "open_conflicts": status.open_conflicts,
                "uploaded": report.uploaded if report else 0,
                "records_applied": report.records_applied if report else 0,
                "records_set_aside": report.records_set_aside if report else 0,
                "clock_warning": status.clock_warning,
                "error": error,
            },
            out,
        )
        out.write("\n")
    else:
        print(status.summary(), file=out)
        if status.failed_events:
            print(parked_summary(status.failed_events), file=out)
        if error:
            print(f"error: {error}", file=sys.stderr)
    return 0 if complete else 1


def sync_daemon(data_dir: Path, interval: float) -> int:
    """Run the daemon in the foreground until SIGINT or SIGTERM (S11, headless)."""

    with _enrolled_sync(data_dir) as run:
        if run is None:
            return 2
        stopped = threading.Event()

        def stop(_signum: int, _frame: object) -> None:
            stopped.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        daemon = SyncDaemon(
            run, interval=interval, on_status=lambda s: print(s.summary(), flush=True)
        )
        daemon.start()
        stopped.wait()
        daemon.stop()
    return 0


@contextmanager
def _enrolled_sync(data_dir: Path) -> Iterator[SyncRun | None]:
    """The till of ``data_dir`` and its sync run, closed at the end; None (with the
    reason on stderr) when the till is not enrolled."""

    runtime = open_till(data_dir)
    try:
        try:
            run = open_sync(runtime)
        except EnrollmentError as exc:
            print(str(exc), file=sys.stderr)
            yield None
            return
        yield run
    finally:
        runtime.close()
