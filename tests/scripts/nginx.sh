#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Starts or stops Debian's nginx as a plain file server on free loopback ports for
# cairn's tests of http:// references. One nginx process (no master, no daemon)
# serves one root directory through four server blocks:
#
#   CAIRN_TEST_HTTP_ENDPOINT         files with nginx's default strong ETag, Range,
#                                    HEAD and If-Match; /redirect/<path> answers
#                                    302 to the mirror's /<path> (query kept);
#                                    /status/401, /status/403, /status/503 answer
#                                    that status
#   CAIRN_TEST_HTTP_MIRROR_ENDPOINT  the same files on another port (another origin)
#   CAIRN_TEST_HTTP_NOETAG_ENDPOINT  the same files without ETag ("etag off")
#   CAIRN_TEST_HTTP_NOHEAD_ENDPOINT  the same files, but HEAD answers 405
#
# access.log, beside the root, has one line per request: "<port> <method> <uri>
# authorization=yes|no", so a test can see where credentials went (never what).
#
# A directory is never served: every location answers 404 for a URL that is not
# a file (try_files $uri =404), as a plain file server would.
#
#   eval "$(tests/scripts/nginx.sh start)"   # prints the exports above, plus
#                                            # CAIRN_TEST_HTTP_ROOT (the served
#                                            # directory) and CAIRN_NGINX_PIDFILE
#   tests/scripts/nginx.sh stop [PIDFILE]    # stops that nginx (default:
#                                            # $CAIRN_NGINX_PIDFILE)
#   tests/scripts/nginx.sh stop --all        # every nginx this script started
#
# Config, logs, temp files and the root live in $CAIRN_NGINX_DIR (default
# /tmp/cairn-nginx-$UID)/nginx-<port>/; /etc/nginx and port 80 are never used.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
nginx="${CAIRN_NGINX_BIN:-/usr/sbin/nginx}"
state_dir="${CAIRN_NGINX_DIR:-/tmp/cairn-nginx-$(id -u)}"
ready_timeout_s=10

peer_script=nginx.sh
peer_program=nginx
peer_pidfiles='nginx-*.pid'
peer_leftovers=("")
# shellcheck source=tests/scripts/peer_lib.sh
source "$root/tests/scripts/peer_lib.sh"

# Prints the files to stdout, quiet about those that are missing.
cat_quiet() {
  cat "$@" 2>/dev/null
}

# Writes the config for ports $2..$5 serving $6 into $1.
write_config() {
  local conf="$1" main="$2" mirror="$3" noetag="$4" nohead="$5" files="$6"
  local dir
  dir="$(dirname "$conf")"
  cat >"$conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  # Whether a request carried Authorization, never its value.
  map \$http_authorization \$sent_authorization {
    "" no;
    default yes;
  }
  log_format cairn '\$server_port \$request_method \$request_uri '
                   'authorization=\$sent_authorization';
  access_log $dir/access.log cairn;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  default_type application/octet-stream;
  server_tokens off;
  # The raw request target after /redirect/, query included, still percent-encoded.
  map \$request_uri \$redirect_rest {
    default "";
    "~^/redirect/(?<rest>.*)\$" \$rest;
  }
  server {
    listen 127.0.0.1:$main;
    root $files;
    location / { try_files \$uri =404; }
    location /redirect/ { return 302 http://127.0.0.1:$mirror/\$redirect_rest; }
    location = /status/401 { return 401; }
    location = /status/403 { return 403; }
    location = /status/503 { return 503; }
  }
  server {
    listen 127.0.0.1:$mirror;
    root $files;
    location / { try_files \$uri =404; }
  }
  server {
    listen 127.0.0.1:$noetag;
    root $files;
    etag off;
    location / { try_files \$uri =404; }
  }
  server {
    listen 127.0.0.1:$nohead;
    root $files;
    location / {
      if (\$request_method = HEAD) { return 405; }
      try_files \$uri =404;
    }
  }
}
EOF
}

start() {
  [ -x "$nginx" ] || die "nginx is not installed at $nginx; run: $root/scripts/bootstrap"
  mkdir -p "$state_dir"

  local main mirror noetag nohead dir pidfile
  read -r main mirror noetag nohead <<<"$(peer_free_ports 4)"
  dir="$state_dir/nginx-$main"
  pidfile="$dir.pid"
  mkdir -p "$dir/root" "$dir/tmp"
  write_config "$dir/nginx.conf" "$main" "$mirror" "$noetag" "$nohead" "$dir/root"

  "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  echo $! >"$pidfile"

  # Any HTTP answer on every port means nginx is up; give up after $ready_timeout_s.
  local deadline=$((SECONDS + ready_timeout_s)) port
  peer_show=(cat_quiet) peer_exit_logs=("$dir/error.log" "$dir/stdout.log")
  peer_late_logs=("$dir/error.log") peer_exit_rm=("$dir")
  for port in "$main" "$mirror" "$noetag" "$nohead"; do
    peer_wait_ready "$pidfile" "$deadline" 0.1 \
      "nginx exited at start (config $dir/nginx.conf); run: $root/scripts/bootstrap" \
      "nginx did not answer on 127.0.0.1:$port within ${ready_timeout_s}s" \
      curl -s --noproxy '*' -o /dev/null --max-time 1 "http://127.0.0.1:$port/"
  done

  echo "export CAIRN_TEST_HTTP_ENDPOINT=http://127.0.0.1:$main"
  echo "export CAIRN_TEST_HTTP_MIRROR_ENDPOINT=http://127.0.0.1:$mirror"
  echo "export CAIRN_TEST_HTTP_NOETAG_ENDPOINT=http://127.0.0.1:$noetag"
  echo "export CAIRN_TEST_HTTP_NOHEAD_ENDPOINT=http://127.0.0.1:$nohead"
  echo "export CAIRN_TEST_HTTP_ROOT=$dir/root"
  echo "export CAIRN_NGINX_PIDFILE=$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) peer_stop "${2:-${CAIRN_NGINX_PIDFILE:-}}" ;;
  *) die "usage: nginx.sh start | nginx.sh stop [PIDFILE|--all]" ;;
esac
