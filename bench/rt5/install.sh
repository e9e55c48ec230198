#!/usr/bin/env bash
# Install Request Tracker 5 from Debian's packages and point it at the local
# PostgreSQL, for comparing Redress with RT through their REST APIs.
#
#   RT5_DB=rt5_bench   database to use (must start with rt5_bench)
#   RT5_PORT=8090      port the server will listen on (written into RT's config)
#   RT5_PASSWORD=benchpassword   password set for RT's `root` user
#   RT5_FRESH=1        drop and recreate the database first
#   RT5_FULLTEXT=1     also build PostgreSQL full-text indexing (see bench/rt5/README.md)
#   RT5_BCRYPT_COST=   bcrypt cost for passwords (RT's default is 12; see bench/rt5/README.md)
#
# Safe to run again: packages, config and password are simply re-applied, and
# the database is only initialised when it has no RT schema yet.
set -euo pipefail

DB=${RT5_DB:-rt5_bench}
PORT=${RT5_PORT:-8090}
PASSWORD=${RT5_PASSWORD:-benchpassword}
PG=(psql -X -q -h 127.0.0.1 -p 5432 -U postgres)

# Never touch a database this script did not create.
case "$DB" in rt5_bench*) ;; *) echo "RT5_DB must start with rt5_bench" >&2; exit 1 ;; esac

started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive

# Answers for the packages' debconf questions. dbconfig-common is bypassed
# (dbconfig-no-thanks) because we create the database ourselves; the
# dbconfig-install answer only matters if dbconfig-common is ever active.
debconf-set-selections <<SEL
request-tracker5 request-tracker5/rtname string rt5-bench
request-tracker5 request-tracker5/organization string rt5-bench.localhost
request-tracker5 request-tracker5/correspondaddress string rt@localhost
request-tracker5 request-tracker5/commentaddress string rt-comment@localhost
request-tracker5 request-tracker5/webbaseurl string http://127.0.0.1:$PORT
request-tracker5 request-tracker5/webpath string
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
request-tracker5 request-tracker5/dbconfig-install boolean false
rt5-db-postgresql rt5-db-postgresql/dbconfig-install boolean false
SEL

# request-tracker5 hard-depends on "default-mta | mail-transport-agent".
# ssmtp satisfies that with no daemon, queue or cron job (exim4 would be the
# default choice otherwise). starman is an alternative preforking server;
# rt5-standalone already brings Starlet, which rt-server uses by default.
# w3m is only recommended, but without it RT warns at every start that it
# converts HTML to text with a slow built-in converter.
PKGS=(dbconfig-no-thanks ssmtp request-tracker5 rt5-db-postgresql rt5-standalone starman w3m curl)
if [ "$(dpkg-query -W -f='${Status}\n' "${PKGS[@]}" 2>/dev/null | grep -c 'install ok installed')" = "${#PKGS[@]}" ]; then
    echo "packages already installed"
else
    apt-get update -qq
    apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${PKGS[@]}"
fi

# Our settings load after Debian's 50-debconf.pm/60-logging.pm (files in
# RT_SiteConfig.d are read in name order), so they win.
CONF=/etc/request-tracker5/RT_SiteConfig.d/90-bench.pm
cat > "$CONF" <<CONF
# Written by bench/rt5/install.sh: RT on the local PostgreSQL for benchmarks.
Set(\$DatabaseType, 'Pg');
Set(\$DatabaseHost, '127.0.0.1');   # TCP, not the socket, like Redress
Set(\$DatabasePort, '5432');
Set(\$DatabaseName, '$DB');
Set(\$DatabaseUser, 'postgres');    # trust auth; no separate role to manage
Set(\$DatabasePassword, '');
Set(\$DatabaseAdmin, 'postgres');

# Served at the root of http://127.0.0.1:PORT, no /rt prefix.
Set(\$WebDomain, '127.0.0.1');
Set(\$WebPort, $PORT);
Set(\$WebPath, '');
Set(\$WebBaseURL, 'http://127.0.0.1:$PORT');

# No syslog daemon here; warnings go to the server's stderr (its log file).
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'warning');

# There is no mail relay: write outgoing notifications to a throwaway file
# instead of running sendmail for every ticket.
Set(\$MailCommand, 'testfile');
CONF
if [ -n "${RT5_BCRYPT_COST:-}" ]; then
    echo "Set(\$BcryptCost, ${RT5_BCRYPT_COST});" >> "$CONF"
fi
# A recreated database has no full-text table, so its config must go too
# (RT5_FULLTEXT=1 builds both again below).
[ -f /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm ] && [ "${RT5_FRESH:-0}" = 1 ] \
    && rm /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm
# RT runs as www-data and must read its config. The postinst leaves the
# (empty) RT_SiteConfig.pm at root-only 0600, which makes RT complain.
chown root:www-data /etc/request-tracker5/RT_SiteConfig.pm /etc/request-tracker5/RT_SiteConfig.d/*.pm
chmod 640 /etc/request-tracker5/RT_SiteConfig.pm /etc/request-tracker5/RT_SiteConfig.d/*.pm

if [ "${RT5_FRESH:-0}" = 1 ]; then
    "${PG[@]}" -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
fi
if ! "${PG[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    "${PG[@]}" -d postgres -c "CREATE DATABASE \"$DB\" ENCODING 'UTF8' TEMPLATE template0"
fi
# Initialise only an empty database; a half-initialised one needs RT5_FRESH=1.
if ! "${PG[@]}" -d "$DB" -tAc "SELECT to_regclass('public.users') IS NOT NULL" | grep -q t; then
    # --skip-create: the database exists, and RT then connects as its normal
    # user (postgres) instead of asking for a DBA password.
    rt-setup-database-5 --action init --skip-create
fi

# Set root's password with RT's own code, so the hash uses the configured
# bcrypt cost. (rt-passwd-5 reads a terminal and exits 1 even on success.)
RT5_PASSWORD="$PASSWORD" perl -I/usr/share/request-tracker5/lib -e '
    use RT; RT::LoadConfig(); RT::Init();
    my $u = RT::User->new(RT->SystemUser); $u->Load("root") or die "no root user\n";
    my ($ok, $msg) = $u->SetPassword($ENV{RT5_PASSWORD}); die "$msg\n" unless $ok;'

if [ "${RT5_FULLTEXT:-0}" = 1 ] && [ ! -f /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm ]; then
    # Creates table AttachmentsIndex (a tsvector with a GIN index), indexes
    # what exists, and prints the config lines RT needs, kept here as a file.
    out=$(rt-setup-fulltext-index-5 --dba postgres --dba-password '' 2>&1) || { echo "$out" >&2; exit 1; }
    { echo "# Written by bench/rt5/install.sh from rt-setup-fulltext-index-5"
      echo "$out" | sed -n '/^Set( *%FullTextSearch/,/^);/p'; } \
        > /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm
    chown root:www-data /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm
    chmod 640 /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm
    grep -q FullTextSearch /etc/request-tracker5/RT_SiteConfig.d/91-fulltext.pm \
        || { echo "could not read the full-text config from:"; echo "$out"; exit 1; } >&2
fi

# Compiled Mason templates from an earlier config would be stale.
find /var/cache/request-tracker5/mason_data -type f -delete 2>/dev/null || true

echo "RT5 installed for database $DB in $(( $(date +%s) - started ))s; start it with bench/rt5/start.sh"
