#!/usr/bin/env bash
# A real single-node SLURM cluster on loopback, for testing the workflow's SLURM profile.
#
#   ci/slurm-cluster.sh start    install what is missing, configure, start, register, smoke-test
#   ci/slurm-cluster.sh status   print the state of every daemon, the node and the associations
#   ci/slurm-cluster.sh stop     stop the daemons cleanly
#
# Debian 12 (bookworm, Slurm 22.05) as root, with or without systemd: the daemons are started
# directly and checked with pidof.  Accounting goes through slurmdbd + MariaDB, so `sacct` works
# (the executor plugin's default status command).  `start` is idempotent: running it twice only
# re-checks the cluster.  Every failure names the step and the log to read.
set -Eeuo pipefail

CLUSTER=rnnstruct
ACCOUNT=rnnstruct
PARTITION=main
ETC=/etc/slurm
LOGDIR=/var/log/slurm
RUNDIR=/run/slurm
STATEDIR=/var/lib/slurm
DB_NAME=slurm_acct_db
DB_USER=slurm
DB_PASSFILE=$ETC/slurmdbd.dbpass
MARIADB_LOG=/var/log/mysql/error.log
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-rnnstruct-slurm.cnf
MUNGE_LOG=/var/log/munge/munged.log
APT_LOG=$LOGDIR/ci-apt.log
SMOKE_LOG=$LOGDIR/ci-smoke.log
PACKAGES=(slurm-wlm slurmdbd munge mariadb-server)
NODE=$(hostname -s)
INVOKING_USER=${SUDO_USER:-$(id -un)}

STEP="setup"
STEP_LOG=""

say() { printf '[slurm-cluster] %s\n' "$*"; }

on_error() {
    local rc=$?
    {
        printf '\n[slurm-cluster] FAILED at step "%s" (exit %s).\n' "$STEP" "$rc"
        if [[ -n "$STEP_LOG" ]]; then
            printf '[slurm-cluster] log: %s (last lines below)\n' "$STEP_LOG"
            [[ -r "$STEP_LOG" ]] && tail -n 25 "$STEP_LOG" | sed 's/^/    | /'
        fi
        printf '[slurm-cluster] all logs: %s/{slurmctld,slurmd,slurmdbd}.log, %s, %s\n' \
            "$LOGDIR" "$MARIADB_LOG" "$MUNGE_LOG"
    } >&2
    exit "$rc"
}
trap on_error ERR

die() {  # die MESSAGE: fail the current step with a message
    printf '[slurm-cluster] %s\n' "$*" >&2
    return 1
}

step() {  # step NAME [LOG]: name the step that runs next (for failure messages)
    STEP=$1
    STEP_LOG=${2:-}
    say "$STEP"
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            die "timed out after ${timeout}s waiting for: $what"
        fi
        sleep 1
    done
}

need_root() {
    [[ $EUID -eq 0 ]] || { echo "ci/slurm-cluster.sh $1 must run as root (it installs and starts daemons)" >&2; exit 1; }
}

running() { pidof "$1" >/dev/null 2>&1; }

# ------------------------------------------------------------------------------------ install
install_packages() {
    local missing=() pkg
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    mkdir -p "$LOGDIR"
    if ((${#missing[@]} == 0)); then
        say "packages present: ${PACKAGES[*]}"
        return
    fi
    step "apt-get install ${missing[*]}" "$APT_LOG"
    {
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    } >"$APT_LOG" 2>&1
}

# -------------------------------------------------------------------------------------- munge
start_munge() {
    step "munge key" "$MUNGE_LOG"
    if [[ ! -s /etc/munge/munge.key ]]; then
        mkdir -p /etc/munge
        if command -v mungekey >/dev/null; then
            mungekey --create --keyfile /etc/munge/munge.key --force
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
        fi
        say "created /etc/munge/munge.key"
    fi
    chown munge:munge /etc/munge /etc/munge/munge.key
    chmod 700 /etc/munge
    chmod 400 /etc/munge/munge.key

    step "start munged" "$MUNGE_LOG"
    if ! running munged; then
        mkdir -p /run/munge /var/log/munge /var/lib/munge
        chown munge:munge /run/munge /var/log/munge /var/lib/munge
        runuser -u munge -- /usr/sbin/munged
    fi
    wait_for 20 "munge credential round trip (munge -n | unmunge)" bash -c 'munge -n | unmunge'
}

# ------------------------------------------------------------------------------------ mariadb
start_mariadb() {
    step "start MariaDB" "$MARIADB_LOG"
    local cnf
    cnf=$(printf '%s\n' \
        "# Written by ci/slurm-cluster.sh: settings slurmdbd asks for (its log warns below them)." \
        "[mysqld]" \
        "bind-address = 127.0.0.1" \
        "innodb_buffer_pool_size = 256M" \
        "innodb_lock_wait_timeout = 900" \
        "log_error = $MARIADB_LOG")
    [[ "$(cat "$MARIADB_CNF" 2>/dev/null)" == "$cnf" ]] || printf '%s\n' "$cnf" >"$MARIADB_CNF"
    mkdir -p /run/mysqld "$(dirname "$MARIADB_LOG")"
    chown mysql:mysql /run/mysqld "$(dirname "$MARIADB_LOG")"
    if ! running mariadbd; then
        # no systemd here: start the server itself, detached, logging to $MARIADB_LOG
        setsid /usr/sbin/mariadbd --user=mysql </dev/null >>"$MARIADB_LOG" 2>&1 &
    fi
    wait_for 60 "MariaDB to answer (mariadb-admin ping)" mariadb-admin ping

    step "accounting database $DB_NAME and user $DB_USER" "$MARIADB_LOG"
    if [[ ! -s "$DB_PASSFILE" ]]; then
        (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$DB_PASSFILE")
        say "generated the database password in $DB_PASSFILE"
    fi
    chmod 600 "$DB_PASSFILE"
    local pw
    pw=$(cat "$DB_PASSFILE")
    mariadb -u root <<SQL
CREATE DATABASE IF NOT EXISTS $DB_NAME;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$pw';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON $DB_NAME.* TO '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL
}

# ------------------------------------------------------------------------------------ configs
# Replace $1 with stdin if the content differs; return 0 if it changed.
install_file() {
    local dest=$1 mode=$2 owner=$3 tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [[ -f "$dest" ]] && cmp -s "$tmp" "$dest"; then
        rm -f "$tmp"
        chmod "$mode" "$dest"
        chown "$owner" "$dest"
        return 1
    fi
    install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$dest"
    rm -f "$tmp"
    say "wrote $dest"
    return 0
}

CONF_CHANGED=0
DBD_CONF_CHANGED=0

write_configs() {
    step "write $ETC/slurm.conf and $ETC/slurmdbd.conf"
    mkdir -p "$ETC" "$LOGDIR" "$RUNDIR" "$STATEDIR/slurmctld" "$STATEDIR/slurmd"
    chown slurm:slurm "$LOGDIR" "$RUNDIR" "$STATEDIR" "$STATEDIR/slurmctld"

    # hardware as slurmd sees it (a mismatch with slurm.conf drains the node), memory from
    # /proc/meminfo minus a margin (max(1 GiB, 5 %)) for the OS and the daemons
    local hw cpus boards sockets cores threads mem_total margin real_mem
    hw=$(slurmd -C | sed -n 1p)
    cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
    boards=$(sed -n 's/.* Boards=\([0-9]*\).*/\1/p' <<<"$hw")
    sockets=$(sed -n 's/.* SocketsPerBoard=\([0-9]*\).*/\1/p' <<<"$hw")
    cores=$(sed -n 's/.* CoresPerSocket=\([0-9]*\).*/\1/p' <<<"$hw")
    threads=$(sed -n 's/.* ThreadsPerCore=\([0-9]*\).*/\1/p' <<<"$hw")
    [[ -n "$cpus" && -n "$cores" ]] || cpus=$(nproc)
    mem_total=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
    margin=$((mem_total / 20 > 1024 ? mem_total / 20 : 1024))
    real_mem=$((mem_total - margin))
    local topo="CPUs=$cpus"
    [[ -n "$cores" ]] && topo+=" Boards=${boards:-1} SocketsPerBoard=${sockets:-1} CoresPerSocket=$cores ThreadsPerCore=${threads:-1}"

    if install_file "$ETC/slurm.conf" 644 root:root <<EOF; then CONF_CHANGED=1; fi
# Written by ci/slurm-cluster.sh: a single-node test cluster on loopback (not for production).
ClusterName=$CLUSTER
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATEDIR/slurmctld
SlurmdSpoolDir=$STATEDIR/slurmd
SlurmctldPidFile=$RUNDIR/slurmctld.pid
SlurmdPidFile=$RUNDIR/slurmd.pid
SlurmctldLogFile=$LOGDIR/slurmctld.log
SlurmdLogFile=$LOGDIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# containers have no usable cgroups: track processes through /proc, no task binding
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
# cores and memory are consumable: several 1-core jobs share the node
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# a job that asks for no memory gets this much per CPU, not the whole node
DefMemPerCPU=1000
# accounting through slurmdbd, so sacct works (the executor plugin's status command)
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStorageEnforce=associations
# store the job comment (the plugin writes rule and wildcards there): sacct -o Comment
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=10
JobCompType=jobcomp/none
# finished jobs stay visible to squeue/scontrol for 5 minutes (the plugin wants >= 120 s)
MinJobAge=300
SlurmctldTimeout=60
SlurmdTimeout=60
MessageTimeout=30
InactiveLimit=0
KillWait=10
Waittime=0
NodeName=$NODE NodeAddr=127.0.0.1 $topo RealMemory=$real_mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF

    local pw
    pw=$(cat "$DB_PASSFILE")
    if install_file "$ETC/slurmdbd.conf" 600 slurm:slurm <<EOF; then DBD_CONF_CHANGED=1; fi
# Written by ci/slurm-cluster.sh (mode 600, owned by slurm: it holds the database password).
AuthType=auth/munge
DbdHost=localhost
DbdPort=6819
SlurmUser=slurm
DebugLevel=info
LogFile=$LOGDIR/slurmdbd.log
PidFile=$RUNDIR/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageLoc=$DB_NAME
StorageUser=$DB_USER
StoragePass=$pw
EOF
}

# ------------------------------------------------------------------------------------ daemons
stop_daemon() {  # stop_daemon NAME: SIGTERM, wait up to 30 s
    local name=$1 pids
    pids=$(pidof "$name" || true)
    [[ -n "$pids" ]] || return 0
    say "stopping $name (pid $pids)"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    while running "$name"; do
        if ((SECONDS >= deadline)); then
            die "$name (pid $pids) did not stop within 30 s; see $LOGDIR/$name.log"
        fi
        sleep 1
    done
}

dbd_up() { sacctmgr -n list cluster format=cluster >/dev/null 2>&1; }
ctld_up() { scontrol ping 2>/dev/null | grep -q "is UP"; }
node_state() { sinfo -h -n "$NODE" -o %T 2>/dev/null | sed -n 1p; }
node_ready() { [[ "$(node_state)" =~ ^(idle|mixed|allocated|completing)$ ]]; }

start_slurmdbd() {
    step "start slurmdbd" "$LOGDIR/slurmdbd.log"
    if ((DBD_CONF_CHANGED)) && running slurmdbd; then stop_daemon slurmdbd; fi
    running slurmdbd || slurmdbd
    wait_for 60 "slurmdbd to answer sacctmgr (port 6819)" dbd_up
}

register_associations() {
    step "register cluster $CLUSTER, account $ACCOUNT and users in sacctmgr" "$LOGDIR/slurmdbd.log"
    if ! sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER"; then
        sacctmgr -i add cluster "$CLUSTER"
    fi
    if ! sacctmgr -n -P list account format=account | grep -qx "$ACCOUNT"; then
        sacctmgr -i add account "$ACCOUNT" Cluster="$CLUSTER" \
            Description="rnnstruct CI" Organization=rnnstruct
    fi
    local user
    for user in root "$INVOKING_USER"; do
        if ! sacctmgr -n -P list assoc cluster="$CLUSTER" account="$ACCOUNT" user="$user" format=user | grep -qx "$user"; then
            sacctmgr -i add user "$user" Account="$ACCOUNT" DefaultAccount="$ACCOUNT" Cluster="$CLUSTER"
        fi
    done
}

start_slurmctld() {
    step "start slurmctld" "$LOGDIR/slurmctld.log"
    if ((CONF_CHANGED)) && running slurmctld; then stop_daemon slurmctld; fi
    running slurmctld || slurmctld
    wait_for 60 "slurmctld to answer (scontrol ping)" ctld_up
}

start_slurmd() {
    step "start slurmd" "$LOGDIR/slurmd.log"
    if ((CONF_CHANGED)) && running slurmd; then stop_daemon slurmd; fi
    running slurmd || slurmd
    step "wait for node $NODE to be idle (sinfo)" "$LOGDIR/slurmd.log"
    local deadline=$((SECONDS + 90)) state
    until node_ready; do
        state=$(node_state)
        if [[ "$state" == *drain* || "$state" == down* ]]; then
            say "node $NODE is '$state': resuming it"
            scontrol update NodeName="$NODE" State=RESUME || true
        fi
        if ((SECONDS >= deadline)); then
            sinfo -R >&2 || true
            die "node $NODE not idle after 90 s (state '$state')"
        fi
        sleep 1
    done
}

smoke_test() {
    step "smoke test: srun -N1 -n1 true, then sacct" "$SMOKE_LOG"
    local name="ci-smoke-$$-$RANDOM"
    timeout 120 srun -N1 -n1 -t 1 --job-name="$name" true >"$SMOKE_LOG" 2>&1
    local deadline=$((SECONDS + 60)) line
    until line=$(sacct -n -X -P --name="$name" -S now-1hour -o JobID,State 2>>"$SMOKE_LOG") &&
        [[ "$line" == *"|COMPLETED"* ]]; do
        if ((SECONDS >= deadline)); then
            echo "sacct -n -X -P --name=$name: '$line'" >>"$SMOKE_LOG"
            die "sacct did not report the smoke job $name as COMPLETED within 60 s"
        fi
        sleep 1
    done
    say "smoke job $line"
}

# ---------------------------------------------------------------------------------- commands
cmd_start() {
    need_root start
    install_packages
    start_munge
    start_mariadb
    write_configs
    start_slurmdbd
    register_associations
    start_slurmctld
    start_slurmd
    smoke_test
    STEP="status"
    cmd_status
    say "cluster '$CLUSTER' is up: partition '$PARTITION', account '$ACCOUNT', node $NODE"
}

cmd_stop() {
    need_root stop
    step "stop slurmd, slurmctld, slurmdbd" "$LOGDIR/slurmctld.log"
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon slurmdbd
    step "stop MariaDB" "$MARIADB_LOG"
    if running mariadbd; then
        say "stopping mariadbd"
        mariadb-admin shutdown || stop_daemon mariadbd
        wait_for 30 "mariadbd to exit" bash -c '! pidof mariadbd'
    fi
    step "stop munged" "$MUNGE_LOG"
    stop_daemon munged
    say "stopped"
}

cmd_status() {
    local ok=0 d
    for d in munged mariadbd slurmdbd slurmctld slurmd; do
        if running "$d"; then
            printf '  %-10s running (pid %s)\n' "$d" "$(pidof "$d")"
        else
            printf '  %-10s NOT running\n' "$d"
            ok=1
        fi
    done
    if command -v sinfo >/dev/null && ctld_up; then
        echo "  slurmctld: $(scontrol ping | sed -n 1p)"
        sinfo -h -N -o '  node %N, partition %P, state %T, %c CPUs, %m MB' || true
        echo "  queue:"
        squeue -o '    %.8i %.10T %.10M %k' || true
        node_ready || ok=1
    else
        echo "  slurmctld not answering (scontrol ping)"
        ok=1
    fi
    if command -v sacctmgr >/dev/null && dbd_up; then
        echo "  associations (cluster|account|user):"
        sacctmgr -n -P list assoc format=cluster,account,user | sed 's/^/    /' || true
    fi
    echo "  logs: $LOGDIR/{slurmctld,slurmd,slurmdbd}.log, $MARIADB_LOG, $MUNGE_LOG"
    return "$ok"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status)
    trap - ERR
    cmd_status
    ;;
*)
    echo "usage: $0 {start|stop|status}" >&2
    exit 2
    ;;
esac
