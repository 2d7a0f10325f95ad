-- tests/milter/proto-reload.lua - the steps are agreed per connection, with
-- the configuration that connection took: a reload that adds a
-- max_message_size brings the body back for new connections only.
-- Globals from the runner: RELOAD (installs the configuration with a limit,
-- sends SIGHUP, waits for the milter's verdict).
dofile(LIB)

local function must(err, what)
	if err ~= nil then error(what .. ": " .. tostring(err)) end
end

local held = mt.connect(SOCK, 50, 0.1)
if held == nil then error("cannot connect to " .. SOCK) end
must(mt.conninfo(held, "client.example", "192.0.2.10"), "conninfo")
check(mt.test_option(held, SMFIP_NOBODY), "before the reload: no body")

check(os.execute(RELOAD), "reload to a configuration where security@ has a max_message_size of 2000")

local conn, r = message({ qid = "PRL1", esmtp = { "SIZE=5000" } })
check(not mt.test_option(conn, SMFIP_NOBODY), "a new connection: the body is sent again")
is(r.rcpt[1], "replycode", "... and the new limit applies (SIZE=5000)")
done(conn)

must(mt.helo(held, "client.example"), "helo")
mt.macro(held, SMFIC_MAIL, "i", "PRL2")
must(mt.mailfrom(held, "<jane@pass.example>", "SIZE=5000"), "mailfrom")
must(mt.rcptto(held, "<security@example.org>"), "rcptto")
is(reply(held), "continue", "the connection open across the reload keeps its configuration: no limit")
must(mt.header(held, "Subject", "held"), "header")
must(mt.eom(held), "eom")
is(reply(held), "continue", "... and its message is accepted at the end, without a body step")
is(added_ar(held), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "... and tagged")
done(held)
