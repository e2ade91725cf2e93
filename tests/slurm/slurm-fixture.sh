#!/usr/bin/env bash
# A single-node Slurm for the tests, run as root on the test machine itself:
#   slurm-fixture.sh start DIR [PID]  starts munged, slurmctld and slurmd with a config in DIR (free
#                                ports, state, spool, logs, munge key and socket all under DIR); prints
#                                SLURM_CONF=DIR/slurm.conf once the node is idle. With PID (the test),
#                                a watcher stops the cluster when that process ends, even if it crashed
#   slurm-fixture.sh stop DIR    cancels every job, stops the three daemons and waits for them
# Exit 3 when it cannot run here (not root, Slurm or munge not installed): the tests skip then.
set -uo pipefail
cmd="${1:-}"
DIR="${2:-}"
OWNER="${3:-}"
[ -n "$cmd" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
HERE="$(cd "$(dirname "$0")" && pwd)"

stop_pidfile() {
  local f="$1" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null)"
  rm -f "$f"   # a later stop (the watcher) must not signal a reused pid
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
}

if [ "$cmd" = stop ]; then
  export SLURM_CONF="$DIR/slurm.conf"
  [ -f "$SLURM_CONF" ] && scancel --full --quiet --user=root 2>/dev/null
  stop_pidfile "$DIR/slurmd.pid"
  stop_pidfile "$DIR/slurmctld.pid"
  stop_pidfile "$DIR/munge/munged.pid"
  exit 0
fi
[ "$cmd" = start ] || { echo "unknown command $cmd" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || { echo "the Slurm fixture needs root (slurmd runs jobs as their user)"; exit 3; }
for b in munged slurmctld slurmd sbatch squeue scontrol scancel; do
  command -v "$b" >/dev/null || { echo "$b is not installed (scripts/install-deps.sh installs slurm-wlm and munge)"; exit 3; }
done

mkdir -p "$DIR"/{munge,state,spool,log} || exit 1
chmod 711 "$DIR" "$DIR/munge"
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=128 count=1 status=none && chmod 400 "$DIR/munge/munge.key"
munged -f --socket="$DIR/munge/munge.socket" --key-file="$DIR/munge/munge.key" --log-file="$DIR/munge/munged.log" \
  --pid-file="$DIR/munge/munged.pid" --seed-file="$DIR/munge/munged.seed" || { echo "munged did not start"; exit 1; }

# Two free TCP ports (the kernel picks them; they are released again just before the daemons bind).
read -r P1 P2 < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
HOST="$(hostname -s)"
sed -e "s|@HOST@|$HOST|g" -e "s|@DIR@|$DIR|g" -e "s|@CTLD_PORT@|$P1|g" -e "s|@SLURMD_PORT@|$P2|g" "$HERE/slurm.conf.in" > "$DIR/slurm.conf"
export SLURM_CONF="$DIR/slurm.conf"
slurmctld -c -f "$SLURM_CONF" || { echo "slurmctld did not start:"; tail -20 "$DIR/log/slurmctld.log"; exit 1; }
slurmd -f "$SLURM_CONF" || { echo "slurmd did not start:"; tail -20 "$DIR/log/slurmd.log"; exit 1; }
for _ in $(seq 1 300); do
  state="$(sinfo -h -o %T 2>/dev/null)"
  if [ "$state" = idle ]; then
    if [ -n "$OWNER" ]; then
      setsid bash -c "while kill -0 $OWNER 2>/dev/null; do sleep 2; done; exec bash '$HERE/slurm-fixture.sh' stop '$DIR'" \
        </dev/null >/dev/null 2>&1 &
    fi
    echo "SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.1
done
echo "the Slurm node did not become idle (state: ${state:-none}):"
tail -20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log"
exit 1
