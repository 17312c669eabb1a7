"""Run deploy/nginx/huiyin.conf in a real nginx (Debian's package) on 127.0.0.1.

The operator's file is used as it is, with only its `listen` and `root` lines
replaced, inside a minimal main configuration whose pid file, logs and temporary
folders are in a temporary folder. nginx runs in the foreground (`daemon off`)
as a child of the test process, so stopping it is stopping that child.

nginx is not optional: ./dev test installs it, so a missing nginx is a failure
that says how to install it, never a skip.
"""

from __future__ import annotations

import getpass
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitebuilder import REPO

NGINX = Path("/usr/sbin/nginx")
CONF = REPO / "deploy" / "nginx" / "huiyin.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")
_LISTEN = re.compile(r"^(\s*)listen\s[^;]*;", re.M)
_ROOT = re.compile(r"^(\s*)root\s[^;]*;", re.M)

MAIN_CONF = """\
{user}daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/huiyin.conf;
}}
"""


def site_conf(port: int, root: Path) -> str:
    """huiyin.conf listening on 127.0.0.1:port and serving root; nothing else changed."""
    text = CONF.read_text(encoding="utf-8")
    listens, roots = _LISTEN.findall(text), _ROOT.findall(text)
    assert len(listens) == 1 and len(roots) == 1, (
        f"{CONF.name}: expected one `listen` and one `root` line, each on its own line "
        f"(found {len(listens)} and {len(roots)})"
    )
    text = _LISTEN.sub(lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", text)
    return _ROOT.sub(lambda m: f"{m.group(1)}root {root};", text)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def require_nginx() -> None:
    if not (NGINX.is_file() and MIME_TYPES.is_file()):
        pytest.fail(
            f"找不到 nginx（{NGINX}、{MIME_TYPES}）：托管测试需要 Debian 的 nginx 软件包。"
            "请运行 ./dev test（会自动安装），或 apt-get update && apt-get install -y nginx"
        )


@contextmanager
def serve(root: Path, workdir: Path) -> Iterator[str]:
    """Serve the built site at root with huiyin.conf; yields 'http://127.0.0.1:<port>/'."""
    require_nginx()
    workdir.mkdir(parents=True, exist_ok=True)
    # As root, nginx would hand requests to workers running as `nobody`, who cannot read
    # pytest's private temporary folders; as anyone else it cannot change user at all.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    main = workdir / "nginx.conf"
    main.write_text(MAIN_CONF.format(user=user, dir=workdir, mime_types=MIME_TYPES), encoding="utf-8")
    for _attempt in range(3):  # another process may take the free port before nginx does
        port = _free_port()
        (workdir / "huiyin.conf").write_text(site_conf(port, root), encoding="utf-8")
        command = [str(NGINX), "-p", f"{workdir}/", "-c", str(main), "-e", str(workdir / "error.log")]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while process.poll() is None and not _answers(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if process.poll() is None and _answers(port):
            break
        _stop(process)
        log = (process.stderr.read() if process.stderr else "") + _read(workdir / "error.log")
        if "Address already in use" not in log:
            pytest.fail(f"nginx did not start with {CONF.name}:\n{log}")
    else:
        pytest.fail(f"nginx found no free port on 127.0.0.1:\n{log}")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # SIGTERM: nginx's fast shutdown, workers included
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
