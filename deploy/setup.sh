#!/usr/bin/env bash
# An example setup of the front desk over SSH, run as root on the center's machine.
# Read it before running it; running it again changes nothing that is already right.
#
#   sudo FRONTDESK_BIN=/opt/frontdesk/venv/bin/frontdesk bash deploy/setup.sh
#
# It makes the "frontdesk" group and a shared "desk" account, the shared database folder
# /srv/frontdesk (root:frontdesk, 2770), installs the launcher and the sshd drop-in, creates
# the database once (as the desk account), checks sshd's configuration and reloads sshd.
# Personal accounts: add them to the group (usermod -aG frontdesk NAME); see deploy/README.md.
set -euo pipefail

# ------------------------------------------------------------------------------ settings ----
GROUP=${GROUP:-frontdesk}
DESK_USER=${DESK_USER:-desk}
DATA_DIR=${DATA_DIR:-/srv/frontdesk}
DB=${DB:-$DATA_DIR/frontdesk.db}
FRONTDESK_BIN=${FRONTDESK_BIN:-/opt/frontdesk/venv/bin/frontdesk}
LAUNCHER=${LAUNCHER:-/usr/local/bin/frontdesk-ssh}
DROPIN=${DROPIN:-/etc/ssh/sshd_config.d/60-frontdesk.conf}
# What goes into a new database: "demo" (the made-up 丽景街 community and its demo accounts,
# to try the desk out) or "empty" (the schema only, for the center's own data).
NEW_DB=${NEW_DB:-demo}
# ---------------------------------------------------------------------------------------------

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { printf '== %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (sudo bash $0)"
[ -x "$FRONTDESK_BIN" ] || die "no frontdesk at $FRONTDESK_BIN: install it first, e.g.
    python3 -m venv /opt/frontdesk/venv && /opt/frontdesk/venv/bin/pip install /path/to/frontdesk
or set FRONTDESK_BIN"
case $NEW_DB in demo | empty) ;; *) die "NEW_DB is demo or empty, not $NEW_DB" ;; esac
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || die "no sshd: install openssh-server first"

# 1. The group, and the shared account whose only program is the desk --------------------------
if getent group "$GROUP" >/dev/null; then
    say "group $GROUP exists"
else
    groupadd --system "$GROUP"
    say "group $GROUP created"
fi
if id "$DESK_USER" >/dev/null 2>&1; then
    say "account $DESK_USER exists"
else
    # /bin/sh: sshd runs ForceCommand through the login shell, so it cannot be nologin; sh
    # reads no start-up files for "sh -c", and the launcher replaces it at once.
    useradd --create-home --shell /bin/sh --gid "$GROUP" --comment "Front desk (shared)" "$DESK_USER"
    say "account $DESK_USER created: give it a password (passwd $DESK_USER) or SSH keys"
fi
usermod --append --groups "$GROUP" "$DESK_USER"
# Personal accounts instead of (or beside) the shared one, one per member of staff:
#     usermod --append --groups frontdesk wangli      (takes effect at their next login)
# Over SSH they then get the desk only. Never add an administrator.

# 2. The shared folder: group-owned, setgid, so every file SQLite creates in it (the database's
#    -wal and -shm) belongs to the group; 2770 keeps everyone else out ---------------------------
install -d -o root -g "$GROUP" -m 2770 "$DATA_DIR"
say "folder $DATA_DIR: $(stat -c '%U:%G %a' "$DATA_DIR")"

# 3. The launcher, pointed at this frontdesk and this database -----------------------------------
tmp=$(mktemp)
backup=""
cleanup() { rm -f "$tmp"; if [ -n "$backup" ]; then rm -f "$backup"; fi; }
trap cleanup EXIT
sed -e "s|^FRONTDESK_BIN=.*|FRONTDESK_BIN=\${FRONTDESK_BIN:-$FRONTDESK_BIN}|" \
    -e "s|^FRONTDESK_DB=.*|FRONTDESK_DB=\${FRONTDESK_DB:-$DB}|" \
    "$HERE/frontdesk-ssh" >"$tmp"
sh -n "$tmp" || die "the launcher does not parse"
install -o root -g root -m 0755 "$tmp" "$LAUNCHER"
say "launcher $LAUNCHER installed"

# 4. The database, once, created by a member of the group ----------------------------------------
if [ -e "$DB" ]; then
    say "database $DB exists: left as it is"
else
    # An empty file first, readable and writable by the group: the program would otherwise
    # create the file for its creator only (0600) and lock every other member out.
    install -o "$DESK_USER" -g "$GROUP" -m 0660 /dev/null "$DB"
    if [ "$NEW_DB" = demo ]; then
        # shellcheck disable=SC2016  # $0 and $1 are the inner shell's
        runuser -u "$DESK_USER" -- sh -c 'umask 002 && exec "$0" seed --db "$1"' "$FRONTDESK_BIN" "$DB"
        say "database $DB created with the demo community (demo accounts: see README.md)"
        say "WARNING: the demo accounts' passwords are published; for real use start with NEW_DB=empty"
    else
        # shellcheck disable=SC2016
        runuser -u "$DESK_USER" -- sh -c 'umask 002 && exec "$0" info --db "$1"' "$FRONTDESK_BIN" "$DB"
        say "database $DB created, empty; now the first supervisor:"
        say "  runuser -u $DESK_USER -- $FRONTDESK_BIN account add USER --name NAME --db $DB"
    fi
fi
# Repair what an earlier run by hand may have left: the database and its -wal/-shm, group rw.
for file in "$DB" "$DB-wal" "$DB-shm"; do
    if [ -e "$file" ]; then
        chgrp "$GROUP" "$file"
        chmod g+rw,o-rwx "$file"
    fi
done
ls -l "$DB"*

# 5. sshd: install the drop-in, check the whole configuration, reload ----------------------------
if ! grep -Eqi '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\.d/' /etc/ssh/sshd_config; then
    die "/etc/ssh/sshd_config does not include sshd_config.d/*.conf: add
    Include /etc/ssh/sshd_config.d/*.conf
at its top, then run this again"
fi
if [ -e "$DROPIN" ]; then
    backup=$(mktemp)
    cp -p "$DROPIN" "$backup"
fi
install -o root -g root -m 0644 "$HERE/sshd_frontdesk.conf" "$DROPIN"
install -d -m 0755 /run/sshd  # sshd -t wants its privilege separation folder
if ! "$SSHD" -t; then
    if [ -n "$backup" ]; then cp -p "$backup" "$DROPIN"; else rm -f "$DROPIN"; fi
    die "sshd -t failed: $DROPIN put back as it was, sshd not reloaded"
fi
say "sshd configuration checked"
if systemctl is-active --quiet ssh 2>/dev/null; then
    systemctl reload ssh
    say "sshd reloaded (ssh.service)"
elif systemctl is-active --quiet sshd 2>/dev/null; then
    systemctl reload sshd
    say "sshd reloaded (sshd.service)"
else
    say "sshd is not running under systemd here: reload it yourself"
fi

# 6. What to check --------------------------------------------------------------------------------
locale -a 2>/dev/null | grep -Eqi '^c\.utf-?8$' ||
    say "note: no C.UTF-8 locale on this machine; the desk still runs (Python uses UTF-8 anyway)"
say "the effective settings for $DESK_USER:"
"$SSHD" -T -C "user=$DESK_USER,host=desk-pc,addr=192.0.2.10" |
    grep -Ei '^(forcecommand|permittty|allowtcpforwarding|x11forwarding|clientalive)' || true
say "done. From an office PC: ssh -t $DESK_USER@$(hostname)"
