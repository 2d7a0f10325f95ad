#!/bin/sh
# contrib/setup.sh - installs what embargo needs on Debian 12 (with sudo when
# not root), then configures and builds it in ./_build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
packages="build-essential autoconf automake pkg-config s-nail sq neomutt mailutils rnp
	libglib2.0-dev libglib2.0-dev-bin libgmime-3.0-dev libgpgme-dev libsqlite3-dev
	libjson-glib-dev libmilter-dev libspf2-dev libcurl4-gnutls-dev
	gnupg sqlite3 jq miltertest swaks strace clang libclang-rt-14-dev python3-jsonschema
	postfix dnsmasq-base iproute2 util-linux openssl rspamd"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	as_root=
	[ "$(id -u)" = 0 ] || as_root=sudo
	export DEBIAN_FRONTEND=noninteractive
	$as_root apt-get update
	case " $missing " in *" postfix "* | *" rspamd "*)
		# Postfix and rspamd are for the tests, which run private instances
		# of their own: no system configuration, and the packages must not
		# start the system instances (policy-rc.d says no while they
		# install): a system rspamd would hold 127.0.0.1:11333.
		echo 'postfix postfix/main_mailer_type select No configuration' |
			$as_root debconf-set-selections
		if [ ! -e /usr/sbin/policy-rc.d ]; then
			printf '#!/bin/sh\nexit 101\n' | $as_root tee /usr/sbin/policy-rc.d >/dev/null
			$as_root chmod 755 /usr/sbin/policy-rc.d
			trap '$as_root rm -f /usr/sbin/policy-rc.d' EXIT
		fi ;;
	esac
	# shellcheck disable=SC2086
	$as_root apt-get install -y --no-install-recommends $missing
fi

cd "$top"
[ -x configure ] || autoreconf -fi
mkdir -p _build
cd _build
[ -f Makefile ] || ../configure --enable-werror
make -j"$(nproc)"
