#!/usr/bin/env bash
# An example setup of the front desk over SSH, run as root on the center's machine.
# Read it before running it; running it again repairs what is wrong and changes nothing else.
#
#   sudo FRONTDESK_BIN=/opt/frontdesk/venv/bin/frontdesk bash deploy/setup.sh
#       everything below, in order
#   sudo bash deploy/setup.sh data
#       only the service account, its folder and the database (1-2)
#   sudo bash deploy/setup.sh add-staff wangli /path/to/wangli.pub
#       a member of staff: an SSH-key-only account that gets the desk and nothing else, and
#       its outbox account wangli-out (SFTP only, the same keys) for the files the desk writes
#   bash deploy/setup.sh print sshd-config | outbox-clean
#       what would be installed, on stdout (no root needed, nothing changed)
#
# 1. the service account "frontdesk" (no login shell, no password): the desk runs as it, and it
#    alone owns the data folder /srv/frontdesk (0700) and the database (0600);
# 2. the database, checked as that account; nothing is generated into a real installation: the
#    demo only with NEW_DB=demo (generated under a temporary name and renamed when whole);
# 3. the group "frontdesk-staff" (members get the desk over SSH, keys only, no password);
# 4. the two launchers: /usr/local/bin/frontdesk-ssh (sshd's ForceCommand, as the member of
#    staff) and /usr/local/lib/frontdesk/frontdesk-desk (as the service account);
# 5. /etc/sudoers.d/frontdesk: members of staff may run that launcher as "frontdesk", nothing else;
# 6. the sshd drop-in, checked with sshd -t; sshd started, or reloaded when it runs;
# 7. the outboxes: for each member of staff NAME an SFTP-only account NAME-out in the group
#    "frontdesk-outbox", chrooted to /srv/frontdesk-outbox/NAME-out, whose folder "outbox" the
#    desk writes; and a daily job (systemd timer, else cron) that deletes what is older than
#    OUTBOX_DAYS days.
# Needs: sudo, openssh-server, and a frontdesk the service account can run (deploy/README.md).
set -euo pipefail

# ------------------------------------------------------------------------------ settings ----
SERVICE_USER=${SERVICE_USER:-frontdesk}
STAFF_GROUP=${STAFF_GROUP:-frontdesk-staff}
DATA_DIR=${DATA_DIR:-/srv/frontdesk}
DB=${DB:-$DATA_DIR/frontdesk.db}
FRONTDESK_BIN=${FRONTDESK_BIN:-/opt/frontdesk/venv/bin/frontdesk}
FRONTDESK_LANG=${FRONTDESK_LANG:-zh}
LAUNCHER=${LAUNCHER:-/usr/local/bin/frontdesk-ssh}
DESK_LAUNCHER=${DESK_LAUNCHER:-/usr/local/lib/frontdesk/frontdesk-desk}
SUDOERS=${SUDOERS:-/etc/sudoers.d/frontdesk}
DROPIN=${DROPIN:-/etc/ssh/sshd_config.d/60-frontdesk.conf}
# What goes into a new database: "none" (nothing: a real center makes its own, see
# deploy/README.md — frontdesk import places, then frontdesk account add — or puts its database
# at $DB, then runs this again; it takes the file over and checks it opens), or "demo" (the
# made-up 丽景街 community and its published demo accounts, to try the desk out; never for
# real data).
NEW_DB=${NEW_DB:-none}
# The outboxes (SFTP only, one chroot per member of staff), and how long files stay in them.
OUTBOX_GROUP=${OUTBOX_GROUP:-frontdesk-outbox}
OUTBOX_DIR=${OUTBOX_DIR:-/srv/frontdesk-outbox}
OUTBOX_KEYS=${OUTBOX_KEYS:-/etc/ssh/frontdesk-outbox-keys}
OUTBOX_DAYS=${OUTBOX_DAYS:-7}
# The name desk PCs reach this machine by: the desk shows "sftp wangli-out@HOST:/outbox/FILE ."
FRONTDESK_SSH_HOST=${FRONTDESK_SSH_HOST:-$(hostname -f 2>/dev/null || hostname)}
OUTBOX_CLEAN_UNIT=${OUTBOX_CLEAN_UNIT:-/etc/systemd/system/frontdesk-outbox-clean}
OUTBOX_CLEAN_CRON=${OUTBOX_CLEAN_CRON:-/etc/cron.d/frontdesk-outbox-clean}
# ---------------------------------------------------------------------------------------------

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd /        # the service account's commands start where every account may be
umask 077   # whatever is made here without an explicit mode is root's alone

say() { printf '== %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

[ "${1:-all}" = print ] || [ "$(id -u)" -eq 0 ] || die "run as root (sudo bash $0)"
case $NEW_DB in demo | none) ;; *) die "NEW_DB is demo or none, not $NEW_DB" ;; esac
case $OUTBOX_DAYS in
    "" | *[!0-9]* | 0*) die "OUTBOX_DAYS is a number of days (1 or more), not $OUTBOX_DAYS" ;;
esac
case $FRONTDESK_SSH_HOST in
    "" | -* | *[!A-Za-z0-9.-]*)
        die "FRONTDESK_SSH_HOST=$FRONTDESK_SSH_HOST: the name or IPv4 address desk PCs use for this machine" ;;
esac
case $DATA_DIR in
    / | /srv | /home | /var | /var/lib | /usr | /usr/local | /etc | /opt | /tmp | /root | *" "* | "")
        die "DATA_DIR=$DATA_DIR: give the desk a folder of its own, e.g. /srv/frontdesk" ;;
    /*) ;;
    *) die "DATA_DIR must be an absolute path, not $DATA_DIR" ;;
esac
[ "$(dirname "$DB")" = "$DATA_DIR" ] || die "DB must be inside DATA_DIR ($DATA_DIR), not $DB"
# sshd chroots into OUTBOX_DIR/NAME-out: it and every folder above it must be root's
case $OUTBOX_DIR in
    / | /srv | /home | /var | /var/lib | /usr | /usr/local | /etc | /opt | /tmp | /root | *" "* | "")
        die "OUTBOX_DIR=$OUTBOX_DIR: give the outboxes a folder of their own, e.g. /srv/frontdesk-outbox" ;;
    "$DATA_DIR" | "$DATA_DIR"/*) die "OUTBOX_DIR cannot be inside DATA_DIR: only the service account may enter that" ;;
    /*) ;;
    *) die "OUTBOX_DIR must be an absolute path, not $OUTBOX_DIR" ;;
esac

# as_service CMD...: run a command as the service account, with a clean environment; SUDO_USER
# names the administrator who ran this (via sudo; else root) in what the desk records
as_service() {
    runuser -u "$SERVICE_USER" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$DATA_DIR" \
        LANG=C.UTF-8 PYTHONUTF8=1 SUDO_USER="${SUDO_USER:-$(id -un)}" "$@"
}

# 1. The service account, and a program it can run ---------------------------------------------
service_account() {
    if id "$SERVICE_USER" >/dev/null 2>&1; then
        local shell
        shell=$(getent passwd "$SERVICE_USER" | cut -d: -f7)
        case $shell in
            */nologin | */false) ;;
            *) die "the service account $SERVICE_USER has the login shell $shell: give it none
    (usermod --shell /usr/sbin/nologin --lock $SERVICE_USER) or choose another SERVICE_USER" ;;
        esac
        [ "$(id -u "$SERVICE_USER")" -ne 0 ] || die "the service account cannot be root"
        say "service account $SERVICE_USER exists"
    else
        local group_option=--user-group
        if getent group "$SERVICE_USER" >/dev/null; then
            group_option="--gid=$SERVICE_USER"  # e.g. the group of an earlier installation
        fi
        # no login shell, no password (locked): nobody logs in as it, sudo and runuser run it
        useradd --system "$group_option" --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "Front desk (service)" "$SERVICE_USER"
        say "service account $SERVICE_USER created (no login shell, no password)"
    fi
    [ -e "$FRONTDESK_BIN" ] || die "no frontdesk at $FRONTDESK_BIN: install it first (deploy/README.md), e.g.
    apt-get install python3-venv && python3 -m venv /opt/frontdesk/venv &&
    /opt/frontdesk/venv/bin/pip install /path/to/frontdesk
or set FRONTDESK_BIN"
    # Checked as the account that will run it: root can run anything, it cannot (an interpreter
    # under /root or a home folder of 0700 fails here with status 126).
    local status=0 output
    output=$(as_service "$FRONTDESK_BIN" --help 2>&1 >/dev/null) || status=$?
    if [ "$status" -ne 0 ]; then
        die "$FRONTDESK_BIN does not run as $SERVICE_USER (exit status $status): ${output%%$'\n'*}
    Install it where every account can run it, e.g. with the system's python3:
    apt-get install python3-venv && python3 -m venv /opt/frontdesk/venv &&
    /opt/frontdesk/venv/bin/pip install /path/to/frontdesk
    (a python3 under /root, or in a home folder other accounts cannot enter, does not work).
    The folder and the database were not touched."
    fi
    say "$FRONTDESK_BIN runs as $SERVICE_USER"
}

# 2. The folder and the database: the service account's alone -----------------------------------
new_db=""
cleanup() {
    if [ -n "$new_db" ]; then rm -f "$new_db" "$new_db-wal" "$new_db-shm" "$new_db.sessions"; fi
}
trap cleanup EXIT

data_folder() {
    install -d -m 0700 "$DATA_DIR"
    chown "$SERVICE_USER:$(id -gn "$SERVICE_USER")" "$DATA_DIR"
    chmod u=rwx,g=,o=,g-s "$DATA_DIR"
    # An earlier installation (root:frontdesk 2770, files 0660) or a copy made by root: every
    # file in the folder becomes the service account's, closed to everyone else.
    chown -R "$SERVICE_USER:$(id -gn "$SERVICE_USER")" "$DATA_DIR"
    chmod -R go-rwx "$DATA_DIR"
    say "folder $DATA_DIR: $(stat -c '%U:%G %a' "$DATA_DIR")"
}

# db_field NAME JSON: a number from `frontdesk info --json`
db_field() { printf '%s' "$2" | grep -o "\"$1\": [0-9]*" | grep -o '[0-9]*$' || echo 0; }

create_db() {  # the demo, generated under a temporary name, renamed over $DB once it is whole
    new_db="$DATA_DIR/.frontdesk-new-$$.db"
    cleanup
    local status=0
    as_service "$FRONTDESK_BIN" seed --db "$new_db" || status=$?
    if [ "$status" -ne 0 ] || [ ! -s "$new_db" ] || [ -s "$new_db-wal" ]; then
        die "generating the demo database failed (exit status $status): nothing was left at $DB; run this again once the cause above is fixed"
    fi
    rm -f "$new_db-wal" "$new_db-shm" "$new_db.sessions"
    mv -f "$new_db" "$DB"
    new_db=""
    say "database $DB created with the demo community (demo accounts: see README.md)"
    say "WARNING: the demo accounts' passwords are published; for real use put the center's own database there"
}

database() {
    if [ -e "$DB" ] && [ ! -s "$DB" ]; then
        if [ -s "$DB-wal" ]; then
            die "$DB is empty but $DB-wal is not: left as it is; look at it before anything else"
        fi
        # What an earlier run left when generating failed: nobody can sign in to it.
        rm -f "$DB" "$DB-wal" "$DB-shm"
        say "database $DB was an empty file (an earlier run that failed?): removed"
    fi
    if [ ! -e "$DB" ]; then
        if [ "$NEW_DB" = demo ]; then
            create_db
        else
            say "no database at $DB (NEW_DB=none, the default): a real center makes its own as $SERVICE_USER,"
            say "  its places from the 楼栋台账: runuser -u $SERVICE_USER -- $FRONTDESK_BIN import places FILE --db $DB"
            say "  its first supervisor: runuser -u $SERVICE_USER -- $FRONTDESK_BIN account add USER --name NAME --role supervisor --db $DB"
            say "  (or puts its database there); then run this again. To try the desk out instead: NEW_DB=demo"
            return
        fi
    fi
    local status=0 info
    info=$(as_service "$FRONTDESK_BIN" info --db "$DB" --json 2>&1) || status=$?
    if [ "$status" -ne 0 ]; then
        die "$DB is not a database the desk can open (exit status $status): ${info%%$'\n'*}
    Left as it is. Move it aside (mv $DB $DB.broken) and run this again for a new one."
    fi
    local staff communities
    staff=$(db_field staff "$info")
    communities=$(db_field communities "$info")
    if [ "$staff" -eq 0 ] && [ "$communities" -eq 0 ] && [ "$NEW_DB" = demo ]; then
        say "database $DB holds no data and no accounts: generating the demo into it"
        create_db
        info=$(as_service "$FRONTDESK_BIN" info --db "$DB" --json)
        staff=$(db_field staff "$info")
        communities=$(db_field communities "$info")
    fi
    if [ "$staff" -eq 0 ]; then
        say "WARNING: nobody can sign in to $DB yet; the first supervisor:"
        say "  runuser -u $SERVICE_USER -- $FRONTDESK_BIN account add USER --name NAME --role supervisor --db $DB"
    else
        say "database $DB: $communities communities, $staff staff accounts"
    fi
    chown "$SERVICE_USER:$(id -gn "$SERVICE_USER")" "$DB"*
    chmod go-rwx "$DB"*
    ls -l "$DB"*
}

# 3. The staff group; an earlier installation's members move into it -----------------------------
# members GROUP: the accounts in a group, as a supplementary or as their primary group
members() {
    local gid
    gid=$(getent group "$1" | cut -d: -f3)
    { getent group "$1" | cut -d: -f4 | tr ',' '\n'
      getent passwd | awk -F: -v gid="$gid" '$4 == gid { print $1 }'
    } | grep -v '^$' | sort -u || true
}

lock_password() {  # staff log in with their SSH key only: no console, no su
    if [ "$(passwd -S "$1" | cut -d' ' -f2)" != L ]; then
        usermod --lock "$1"
        say "password of $1 locked: SSH keys only"
    fi
}

staff_group() {
    if getent group "$STAFF_GROUP" >/dev/null; then
        say "group $STAFF_GROUP exists"
    else
        groupadd --system "$STAFF_GROUP"
        say "group $STAFF_GROUP created"
    fi
}

staff_members() {
    # Up to now the desk's accounts shared the group "frontdesk" and could read the database.
    # Done after sshd has the new drop-in: until then the old one forces them into the launcher.
    local user
    for user in $(members "$SERVICE_USER"); do
        [ "$user" != "$SERVICE_USER" ] || continue
        usermod --append --groups "$STAFF_GROUP" "$user"
        if [ "$(id -gn "$user")" = "$SERVICE_USER" ]; then
            usermod --gid "$STAFF_GROUP" "$user"
        fi
        if getent group "$SERVICE_USER" | cut -d: -f4 | tr ',' '\n' | grep -qxF "$user"; then
            gpasswd --delete "$user" "$SERVICE_USER" >/dev/null
        fi
        say "$user moved from group $SERVICE_USER to $STAFF_GROUP"
    done
    for user in $(members "$STAFF_GROUP"); do
        lock_password "$user"
    done
}

# 4-5. The launchers and the sudo rule -----------------------------------------------------------
launchers() {
    local tmp
    tmp=$(mktemp)
    sed -e "s|^SUDO=.*|SUDO=$(command -v sudo)|" \
        -e "s|^FRONTDESK_USER=.*|FRONTDESK_USER=$SERVICE_USER|" \
        -e "s|^FRONTDESK_DESK=.*|FRONTDESK_DESK=$DESK_LAUNCHER|" \
        "$HERE/frontdesk-ssh" >"$tmp"
    sh -n "$tmp" || die "the launcher does not parse"
    install -o root -g root -m 0755 "$tmp" "$LAUNCHER"
    sed -e "s|^FRONTDESK_BIN=.*|FRONTDESK_BIN=$FRONTDESK_BIN|" \
        -e "s|^FRONTDESK_DB=.*|FRONTDESK_DB=$DB|" \
        -e "s|^FRONTDESK_LANG=[a-z]*|FRONTDESK_LANG=$FRONTDESK_LANG|" \
        -e "s|sudo -u frontdesk|sudo -u $SERVICE_USER|g" \
        -e "s|^FRONTDESK_OUTBOXES=[^ ]*|FRONTDESK_OUTBOXES=$OUTBOX_DIR|" \
        -e "s|^FRONTDESK_SSH_HOST=[^ ]*|FRONTDESK_SSH_HOST=$FRONTDESK_SSH_HOST|" \
        "$HERE/frontdesk-desk" >"$tmp"
    sh -n "$tmp" || die "the desk launcher does not parse"
    # root's, in a folder of root's: neither staff nor the service account can change them
    install -d -o root -g root -m 0755 "$(dirname "$DESK_LAUNCHER")"
    install -o root -g root -m 0755 "$tmp" "$DESK_LAUNCHER"
    say "launchers $LAUNCHER and $DESK_LAUNCHER installed"

    sed -e "s|%frontdesk-staff|%$STAFF_GROUP|g" \
        -e "s|(frontdesk)|($SERVICE_USER)|" \
        -e "s|/usr/local/lib/frontdesk/frontdesk-desk|$DESK_LAUNCHER|" \
        "$HERE/sudoers_frontdesk" >"$tmp"
    visudo -cqf "$tmp" || die "the sudoers rule does not parse: $SUDOERS left as it was"
    install -d -o root -g root -m 0750 "$(dirname "$SUDOERS")"
    install -o root -g root -m 0440 "$tmp" "$SUDOERS"
    rm -f "$tmp"
    visudo -cq || die "sudo's configuration does not parse with $SUDOERS: fix it (visudo -c)"
    say "sudo rule $SUDOERS: %$STAFF_GROUP may run $DESK_LAUNCHER as $SERVICE_USER, nothing else"
}

# 6. sshd: install the drop-in, check the whole configuration, start or reload -------------------
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
prerequisites() {  # everything the full run needs, checked before it changes anything
    command -v visudo >/dev/null || die "no sudo: install it first (apt-get install sudo)"
    [ -x "$SSHD" ] || die "no sshd: install it first (apt-get install openssh-server)"
    if ! grep -Eqi '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\.d/' /etc/ssh/sshd_config; then
        die "/etc/ssh/sshd_config does not include sshd_config.d/*.conf: add
    Include /etc/ssh/sshd_config.d/*.conf
at its top, then run this again"
    fi
    # sshd refuses an SFTP session outright without one (the outboxes' ForceCommand then runs
    # its own internal-sftp whatever the line names); Debian's sshd_config has it
    if ! grep -Eqi '^[[:space:]]*Subsystem[[:space:]]+sftp[[:space:]]' /etc/ssh/sshd_config \
        /etc/ssh/sshd_config.d/*.conf 2>/dev/null; then
        die "/etc/ssh/sshd_config has no Subsystem sftp line (the outboxes need one): add
    Subsystem sftp internal-sftp
to it, then run this again"
    fi
}

sshd_config() {  # the drop-in as installed, with this installation's names
    sed -e "s|^Match Group frontdesk-staff\$|Match Group $STAFF_GROUP|" \
        -e "s|^\([[:space:]]*ForceCommand\) /usr/local/bin/frontdesk-ssh\$|\1 $LAUNCHER|" \
        -e "s|^Match Group frontdesk-outbox\$|Match Group $OUTBOX_GROUP|" \
        -e "s|^\([[:space:]]*ChrootDirectory\) /srv/frontdesk-outbox/%u\$|\1 $OUTBOX_DIR/%u|" \
        -e "s|^\([[:space:]]*AuthorizedKeysFile\) /etc/ssh/frontdesk-outbox-keys/%u\$|\1 $OUTBOX_KEYS/%u|" \
        "$HERE/sshd_frontdesk.conf"
}

sshd_setup() {
    local sshd=$SSHD backup="" tmp
    tmp=$(mktemp)
    if [ -e "$DROPIN" ]; then
        backup=$(mktemp)
        cp -p "$DROPIN" "$backup"
    fi
    sshd_config >"$tmp"
    install -o root -g root -m 0644 "$tmp" "$DROPIN"
    rm -f "$tmp"
    install -d -m 0755 /run/sshd  # sshd -t wants its privilege separation folder
    if ! "$sshd" -t; then
        if [ -n "$backup" ]; then cp -p "$backup" "$DROPIN"; else rm -f "$DROPIN"; fi
        rm -f "$backup"
        die "sshd -t failed: $DROPIN put back as it was, sshd not reloaded"
    fi
    rm -f "$backup"
    say "sshd configuration checked"
    local unit=ssh
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        systemctl cat ssh.service >/dev/null 2>&1 || unit=sshd
        if systemctl is-active --quiet "$unit"; then
            systemctl reload "$unit"
            say "sshd reloaded ($unit.service)"
        else
            systemctl enable --now "$unit"
            say "sshd started, and starts at boot ($unit.service)"
        fi
    elif [ -x /etc/init.d/ssh ]; then  # no systemd (a container, an old system)
        if /etc/init.d/ssh status >/dev/null 2>&1; then
            /etc/init.d/ssh reload
            say "sshd reloaded (/etc/init.d/ssh)"
        else
            /etc/init.d/ssh start
            say "sshd started (/etc/init.d/ssh); it does not start at boot here"
        fi
    else
        say "start sshd yourself ($sshd), or reload it if it runs (kill -HUP its process)"
    fi
    locale -a 2>/dev/null | grep -Eqi '^c\.utf-?8$' ||
        say "note: no C.UTF-8 locale on this machine; the desk still runs (Python uses UTF-8 anyway)"
}

effective_settings() {
    local someone
    someone=$(members "$STAFF_GROUP" | head -n1)
    if [ -n "$someone" ]; then
        say "the effective settings for $someone, a member of $STAFF_GROUP:"
        "$SSHD" -T -C "user=$someone,host=desk-pc,addr=192.0.2.10" |
            grep -Ei '^(forcecommand|authenticationmethods|passwordauthentication|permittty|allowtcpforwarding|clientalive)' || true
    fi
    someone=$(members "$OUTBOX_GROUP" | head -n1)
    if [ -n "$someone" ]; then
        say "the effective settings for $someone, a member of $OUTBOX_GROUP:"
        "$SSHD" -T -C "user=$someone,host=desk-pc,addr=192.0.2.10" |
            grep -Ei '^(chrootdirectory|forcecommand|authorizedkeysfile|authenticationmethods|permittty|disableforwarding)' || true
    fi
}

# 7. The outboxes: SFTP only, one chroot per member of staff ------------------------------------
outbox_root() {
    if getent group "$OUTBOX_GROUP" >/dev/null; then
        say "group $OUTBOX_GROUP exists"
    else
        groupadd --system "$OUTBOX_GROUP"
        say "group $OUTBOX_GROUP created"
    fi
    # sshd's rule for a chroot: the folder and every one above it root's, writable by no one else
    local dir
    dir=$(dirname "$OUTBOX_DIR")
    while :; do
        if [ -e "$dir" ]; then
            if [ ! -d "$dir" ] || [ -L "$dir" ] || [ "$(stat -c %u "$dir")" -ne 0 ] ||
                [ -n "$(find "$dir" -maxdepth 0 -perm /022)" ]; then
                die "$dir is $(stat -c '%U:%G %a' "$dir"): sshd chroots only below folders that are root's and writable by no one else; choose another OUTBOX_DIR"
            fi
        fi
        [ "$dir" != / ] || break
        dir=$(dirname "$dir")
    done
    install -d -o root -g root -m 0755 "$OUTBOX_DIR" "$OUTBOX_KEYS"
    chown root:root "$OUTBOX_DIR" "$OUTBOX_KEYS"
    chmod 0755 "$OUTBOX_DIR" "$OUTBOX_KEYS"
}

# outbox_for NAME: the outbox account NAME-out (NAME's keys, SFTP only) and its folders
outbox_for() {
    local user=$1 out="$1-out" home keys chroot
    [ "${#out}" -le 32 ] || die "$out: an account name is 32 characters at most; $user's outbox needs a shorter name"
    chroot=$OUTBOX_DIR/$out
    if id "$out" >/dev/null 2>&1; then
        # only an account that this made: an unrelated "li-out" is never taken over
        [ "$(getent passwd "$out" | cut -d: -f6)" = "$chroot" ] ||
            die "$out exists and is not $user's outbox account (its home is not $chroot): rename one of them"
        local group
        for group in $(id -Gn "$out"); do
            case $group in
                sudo | adm | wheel | root | "$SERVICE_USER" | "$STAFF_GROUP")
                    die "$out is in the group $group: an outbox account is SFTP only, in $OUTBOX_GROUP alone" ;;
            esac
        done
    else
        # no shell at all: sshd runs its own SFTP server in the chroot, nothing else
        useradd --no-create-home --home-dir "$chroot" --shell /usr/sbin/nologin --user-group \
            --comment "Front desk outbox of $user" "$out"
        say "account $out created (SFTP only, no shell)"
    fi
    usermod --append --groups "$OUTBOX_GROUP" "$out"
    lock_password "$out"
    # the chroot: root's, 0755, holding one folder: the desk (service account) writes, the
    # member's group reads and deletes; setgid, so every file gets the member's group
    install -d -o root -g root -m 0755 "$chroot"
    chown root:root "$chroot"
    chmod 0755 "$chroot"
    install -d -o "$SERVICE_USER" -g "$out" -m 2770 "$chroot/outbox"
    chown "$SERVICE_USER:$out" "$chroot/outbox"
    chmod 2770 "$chroot/outbox"
    # the member's keys: those of the desk account, root's, outside the chroot
    home=$(getent passwd "$user" | cut -d: -f6)
    keys=$OUTBOX_KEYS/$out
    if [ -f "$home/.ssh/authorized_keys" ]; then
        install -o root -g root -m 0644 "$home/.ssh/authorized_keys" "$keys"
    else
        install -o root -g root -m 0644 /dev/null "$keys"
    fi
    say "$out: SFTP into $chroot/outbox (seen as /outbox), $(grep -c . "$keys" || true) key(s) of $user"
}

outboxes() {
    outbox_root
    local user
    for user in $(members "$STAFF_GROUP"); do
        outbox_for "$user"
    done
}

# The cleaning: files older than OUTBOX_DAYS days go, deleted as the service account (it owns
# every outbox folder, so it may delete whatever is in them; find follows no link).
outbox_clean_command() {
    printf "/usr/bin/find %s -mindepth 3 -maxdepth 3 -path '%s' -type f -mmin +%s -delete" \
        "$OUTBOX_DIR" "$OUTBOX_DIR/*/outbox/*" "$((OUTBOX_DAYS * 1440))"
}

outbox_clean_service() {
    cat <<EOF
# Installed by deploy/setup.sh: the outboxes keep files for $OUTBOX_DAYS days (OUTBOX_DAYS).
[Unit]
Description=Front desk: delete outbox files older than $OUTBOX_DAYS days

[Service]
Type=oneshot
User=$SERVICE_USER
ExecStart=$(outbox_clean_command)
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths=$OUTBOX_DIR
EOF
}

outbox_clean_timer() {
    cat <<EOF
# Installed by deploy/setup.sh.
[Unit]
Description=Front desk: clean the outboxes daily

[Timer]
OnCalendar=*-*-* 03:17
Persistent=true

[Install]
WantedBy=timers.target
EOF
}

outbox_clean_cron() {
    printf '# Installed by deploy/setup.sh: the outboxes keep files for %s days (OUTBOX_DAYS).\n' "$OUTBOX_DAYS"
    printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n17 3 * * * %s %s\n' "$SERVICE_USER" "$(outbox_clean_command)"
}

outbox_cleaning() {
    local tmp unit
    tmp=$(mktemp)
    unit=$(basename "$OUTBOX_CLEAN_UNIT")
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        outbox_clean_service >"$tmp"
        install -o root -g root -m 0644 "$tmp" "$OUTBOX_CLEAN_UNIT.service"
        outbox_clean_timer >"$tmp"
        install -o root -g root -m 0644 "$tmp" "$OUTBOX_CLEAN_UNIT.timer"
        rm -f "$OUTBOX_CLEAN_CRON"
        systemctl daemon-reload
        systemctl enable --now "$unit.timer" >/dev/null
        say "outboxes cleaned daily: files older than $OUTBOX_DAYS days ($unit.timer)"
    elif [ -d "$(dirname "$OUTBOX_CLEAN_CRON")" ]; then
        outbox_clean_cron >"$tmp"
        install -o root -g root -m 0644 "$tmp" "$OUTBOX_CLEAN_CRON"
        say "outboxes cleaned daily: files older than $OUTBOX_DAYS days ($OUTBOX_CLEAN_CRON)"
    else
        say "WARNING: no systemd and no cron here: clean the outboxes yourself, daily, as $SERVICE_USER:"
        say "  $(outbox_clean_command)"
    fi
    rm -f "$tmp"
}

# add-staff NAME KEYFILE: a member of staff, SSH key only, the desk only ------------------------
add_staff() {
    local user=$1 keys=$2 home
    getent group "$STAFF_GROUP" >/dev/null || die "no group $STAFF_GROUP: run setup.sh first"
    case $user in
        *-out) die "$user: a name ending in -out is an outbox account's (the outbox of ${user%-out}); choose another" ;;
        "" | [.-]* | *[!a-z0-9._-]*) die "$user: an account name of lower-case letters, digits, . _ -" ;;
    esac
    [ -r "$keys" ] || die "no public key file $keys"
    if command -v ssh-keygen >/dev/null; then
        ssh-keygen -l -f "$keys" >/dev/null 2>&1 || die "$keys is not an SSH public key"
    fi
    if id "$user" >/dev/null 2>&1; then
        local group
        for group in $(id -Gn "$user"); do
            case $group in
                sudo | adm | wheel | root | "$SERVICE_USER" | "$OUTBOX_GROUP")
                    die "$user is in the group $group: a member of staff must be an account of its own (over SSH it gets the desk only)" ;;
            esac
        done
        say "account $user exists"
    else
        # /bin/sh: sshd runs ForceCommand through the login shell, so it cannot be nologin; sh
        # reads no start-up files for "sh -c", and the launcher replaces it at once.
        useradd --create-home --shell /bin/sh --user-group --comment "Front desk staff" "$user"
        say "account $user created"
    fi
    usermod --append --groups "$STAFF_GROUP" "$user"
    lock_password "$user"
    home=$(getent passwd "$user" | cut -d: -f6)
    # root's: the account cannot change its keys (it has no shell anyway)
    install -d -o root -g root -m 0755 "$home/.ssh"
    touch "$home/.ssh/authorized_keys"
    local key
    while IFS= read -r key; do
        [ -n "$key" ] || continue
        grep -qxF "$key" "$home/.ssh/authorized_keys" || printf '%s\n' "$key" >>"$home/.ssh/authorized_keys"
    done <"$keys"
    chown root:root "$home/.ssh/authorized_keys"
    chmod 0644 "$home/.ssh/authorized_keys"
    say "$user: member of $STAFF_GROUP, key in $home/.ssh/authorized_keys; from a desk PC: ssh -t $user@$FRONTDESK_SSH_HOST"
    outbox_root
    outbox_for "$user"
    say "$user's files (exports, slips) from a desk PC: sftp $user-out@$FRONTDESK_SSH_HOST:/outbox/FILE ."
}

case ${1:-all} in
    all)
        prerequisites
        service_account
        data_folder
        database
        staff_group
        launchers
        sshd_setup
        staff_members
        outboxes
        outbox_cleaning
        effective_settings
        say "done. Add each member of staff: sudo bash $0 add-staff NAME KEYFILE.pub" ;;
    data)
        service_account
        data_folder
        database
        say "done (service account, folder, database)" ;;
    add-staff)
        [ "$#" -eq 3 ] || die "usage: setup.sh add-staff NAME KEYFILE.pub"
        add_staff "$2" "$3" ;;
    print)
        case ${2:-} in
            sshd-config) sshd_config ;;
            outbox-clean)
                printf '# %s.service\n' "$OUTBOX_CLEAN_UNIT"
                outbox_clean_service
                printf '# %s.timer\n' "$OUTBOX_CLEAN_UNIT"
                outbox_clean_timer
                printf '# or, without systemd, %s\n' "$OUTBOX_CLEAN_CRON"
                outbox_clean_cron ;;
            *) die "usage: setup.sh print sshd-config | outbox-clean" ;;
        esac ;;
    *)
        die "usage: setup.sh [all | data | add-staff NAME KEYFILE.pub | print sshd-config | print outbox-clean]" ;;
esac
