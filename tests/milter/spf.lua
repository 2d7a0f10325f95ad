-- tests/milter/spf.lua - every SPF result, and the exact header that carries it.
dofile(LIB)

local function spf_case(desc, m, want)
	m.qid = m.qid or "SPF"
	local conn, r = message(m)
	is(r.eom, "continue", desc .. ": the message is accepted")
	is(added_ar(conn), want, desc .. ": " .. want)
	check(mt.eom_check(conn, MT_HDRINSERT, "Authentication-Results", want, 0),
	      desc .. ": the field is inserted at the top")
	done(conn)
end

spf_case("pass", { from = "<jane@pass.example>" }, ID .. "; spf=pass smtp.mailfrom=jane@pass.example")
spf_case("pass over IPv6", { ip = "2001:db8::25", from = "<jane@pass.example>" },
         ID .. "; spf=pass smtp.mailfrom=jane@pass.example")
spf_case("fail", { from = "<mallory@fail.example>" }, ID .. "; spf=fail smtp.mailfrom=mallory@fail.example")
spf_case("fail over IPv6", { ip = "2001:db8::25", from = "<mallory@fail.example>" },
         ID .. "; spf=fail smtp.mailfrom=mallory@fail.example")
spf_case("pass domain, address outside it", { ip = "198.51.100.7", from = "<jane@pass.example>" },
         ID .. "; spf=fail smtp.mailfrom=jane@pass.example")
spf_case("softfail", { from = "<sam@softfail.example>" }, ID .. "; spf=softfail smtp.mailfrom=sam@softfail.example")
spf_case("neutral", { from = "<nick@neutral.example>" }, ID .. "; spf=neutral smtp.mailfrom=nick@neutral.example")
spf_case("none (a TXT record but no SPF)", { from = "<nora@norecord.example>" },
         ID .. "; spf=none smtp.mailfrom=nora@norecord.example")
spf_case("none (no such domain)", { from = "<ghost@nxdomain.example>" },
         ID .. "; spf=none smtp.mailfrom=ghost@nxdomain.example")
spf_case("permerror (include of a domain without a record)", { from = "<pat@permerror.example>" },
         ID .. "; spf=permerror smtp.mailfrom=pat@permerror.example")
spf_case("permerror (a record that does not compile)", { from = "<pat@badsyntax.example>" },
         ID .. "; spf=permerror smtp.mailfrom=pat@badsyntax.example")
spf_case("temperror (DNS failure on the domain)", { from = "<tim@temperror.example>" },
         ID .. "; spf=temperror smtp.mailfrom=tim@temperror.example")
spf_case("temperror (DNS failure inside the record)", { from = "<tim@dnsfail.example>" },
         ID .. "; spf=temperror smtp.mailfrom=tim@dnsfail.example")
spf_case("null sender: the HELO identity passes", { from = "<>", helo = "helo.example" },
         ID .. "; spf=pass smtp.helo=helo.example")
spf_case("null sender: the HELO identity fails", { from = "<>", helo = "helo.example", ip = "198.51.100.7" },
         ID .. "; spf=fail smtp.helo=helo.example")
spf_case("null sender, HELO not a domain", { from = "<>", helo = "[192.0.2.10]" },
         ID .. "; spf=none smtp.helo=\"[192.0.2.10]\"")
spf_case("a +extension of the list", { from = "<jane@pass.example>", rcpts = { "<security+SEC-2026-0001@example.org>" } },
         ID .. "; spf=pass smtp.mailfrom=jane@pass.example")
spf_case("list address in other letter case", { from = "<jane@pass.example>", rcpts = { "<Security@Example.ORG>" } },
         ID .. "; spf=pass smtp.mailfrom=jane@pass.example")
spf_case("a sender that needs quoting", { from = "<odd=local@pass.example>" },
         ID .. "; spf=pass smtp.mailfrom=\"odd=local@pass.example\"")
spf_case("a malformed sender domain", { from = "<jane@no_dots>" }, ID .. "; spf=none smtp.mailfrom=jane@no_dots")

-- a client without an address (not IPv4 or IPv6): nothing to check
local conn = mt.connect(SOCK, 50, 0.1)
mt.conninfo(conn, "local", "unspec")
mt.mailfrom(conn, "<jane@pass.example>")
mt.rcptto(conn, "<security@example.org>")
mt.header(conn, "Subject", "x")
mt.eom(conn)
is(added_ar(conn), ID .. "; spf=none smtp.mailfrom=jane@pass.example", "no client address: spf=none")
done(conn)

-- loopback always passes in libspf2, for any sender: the milter does not ask
-- it for a local client (sendmail(1), whose sender any local user chooses)
conn = message({ ip = "127.0.0.1", from = "<mallory@fail.example>" })
is(added_ar(conn), ID .. "; spf=none smtp.mailfrom=mallory@fail.example", "loopback: spf=none, not libspf2's pass")
done(conn)
conn = message({ ip = "::1", from = "<mallory@fail.example>" })
is(added_ar(conn), ID .. "; spf=none smtp.mailfrom=mallory@fail.example", "IPv6 loopback: spf=none too")
done(conn)

-- two messages on one connection: each gets its own result
conn = mt.connect(SOCK, 50, 0.1)
mt.conninfo(conn, "client.example", "192.0.2.10")
mt.helo(conn, "client.example")
mt.mailfrom(conn, "<mallory@fail.example>")
mt.rcptto(conn, "<security@example.org>")
mt.header(conn, "Subject", "one")
mt.eom(conn)
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "first message of a connection")
mt.mailfrom(conn, "<jane@pass.example>")
mt.rcptto(conn, "<security@example.org>")
mt.header(conn, "Subject", "two")
mt.eom(conn)
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "second message of the same connection")
mt.mailfrom(conn, "<x@fail.example>")
mt.rcptto(conn, "<security@example.org>")
mt.abort(conn)
mt.mailfrom(conn, "<jane@softfail.example>")
mt.rcptto(conn, "<security@example.org>")
mt.header(conn, "Subject", "three")
mt.eom(conn)
is(added_ar(conn), ID .. "; spf=softfail smtp.mailfrom=jane@softfail.example", "a message after an aborted one")
done(conn)
