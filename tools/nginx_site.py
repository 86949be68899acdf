"""deploy/nginx/ made runnable on loopback: the site's locations with a run's own paths.

The nginx test (tests/test_deploy_nginx.py) and the X-Accel benchmark (bench/accel.py) serve
exactly the production locations (deploy/nginx/briefdesk-locations.conf), with the
placeholders /srv/briefdesk and /srv/briefdesk/instance replaced, on a loopback port
without TLS.
"""
import os
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
DEPLOY = ROOT / "deploy" / "nginx"


def write_config(work: Path, instance: Path, app_ports: list[int], port: int,
                 extra: str = "") -> Path:
    """nginx.conf in ``work`` serving deploy/nginx's locations on 127.0.0.1:``port``."""
    locations = (DEPLOY / "briefdesk-locations.conf").read_text()
    locations = locations.replace("/srv/briefdesk/instance/", f"{instance}/")
    locations = locations.replace("/srv/briefdesk/", f"{ROOT}/")
    (work / "locations.conf").write_text(locations)
    (work / "tmp").mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the run's folders
    upstream = "".join(f"server 127.0.0.1:{p}; " for p in app_ports)
    conf = work / "nginx.conf"
    conf.write_text(f"""{user}daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    types {{ text/calendar ics; }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    access_log off;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    upstream briefdesk {{ {upstream}keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {work}/locations.conf;
        {extra}
    }}
}}
""")
    return conf


def start(work: Path, conf: Path, port: int, seconds: float = 30) -> subprocess.Popen:
    """Nginx in the foreground; returns once it answers on ``port``."""
    log = open(work / "nginx-stderr.log", "w")  # noqa: SIM115  (nginx keeps writing to it)
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(conf),
                                "-e", str(work / "nginx-error.log")],
                               stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/app.css", timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start; see {work}/nginx-error.log") from None
            time.sleep(0.1)
