-- tests/milter/reload.lua - SIGHUP puts a new configuration in force for
-- new connections; a connection open across the reload keeps the old one.
-- Globals from the runner: RELOAD (a command that installs the named
-- configuration, sends SIGHUP and waits for the milter's verdict), ID and
-- ID2 (the authserv-ids of the first and second configuration).
--   v1: security@ only, max_message_size 2000, spf_fail = tag, rate 1000/600
--   v2: security@ 5000, other@ added (1000), authserv-id ID2, spf_fail = reject, rate 2/600
dofile(LIB)

local function must(err, what)
	if err ~= nil then error(what .. ": " .. tostring(err)) end
end

-- v1
local conn, r = message({ qid = "HUP1", rcpts = { "<other@example.org>" } })
is(r.eom, "accept", "v1: other@ is no list: accepted untouched")
done(conn)
conn, r = message({ qid = "HUP2", esmtp = { "SIZE=3000" } })
is(r.rcpt[1], "replycode", "v1: SIZE=3000 to security@ is over its 2000")
done(conn)
conn, r = message({ qid = "HUP3", ip = "192.0.2.50" })
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "v1: tagged with authserv-id " .. ID)
done(conn)
conn, r = message({ qid = "HUP4", ip = "192.0.2.52", from = "<mallory@fail.example>" })
is(r.eom, "continue", "v1: spf=fail is tagged, not refused")
done(conn)

-- a connection that begins under v1 and goes on after the reload
local held = mt.connect(SOCK, 50, 0.1)
if held == nil then error("cannot connect to " .. SOCK) end
must(mt.conninfo(held, "client.example", "192.0.2.60"), "conninfo")
must(mt.helo(held, "client.example"), "helo")

check(os.execute(RELOAD .. " v2"), "reload to v2: the milter says it reloaded")

mt.macro(held, SMFIC_MAIL, "i", "HELD1")
must(mt.mailfrom(held, "<jane@pass.example>", "SIZE=3000"), "mailfrom")
is(reply(held), "continue", "the connection open across the reload is still served")
must(mt.rcptto(held, "<security@example.org>"), "rcptto")
is(reply(held), "replycode", "... by v1: SIZE=3000 is still over security@'s 2000")
must(mt.rcptto(held, "<other@example.org>"), "rcptto")
is(reply(held), "continue", "... other@ is still no list for it")
must(mt.header(held, "Subject", "held"), "header")
check(mt.test_option(held, SMFIP_NOBODY) == false, "... v1 had a size limit: the body is sent")
must(mt.bodystring(held, "x\r\n"), "body")
is(reply(held), "skip", "... and for no list but other@ the body is skipped")
must(mt.eom(held), "eom")
is(reply(held), "accept", "... and its message is accepted untouched at its end")
done(held)

-- v2, on new connections
conn, r = message({ qid = "HUP5", ip = "192.0.2.101", esmtp = { "SIZE=3000" } })
is(r.rcpt[1], "continue", "v2: SIZE=3000 to security@ is under its new 5000")
is(r.eom, "continue", "... and the message is accepted")
is(added_ar(conn), ID2 .. "; spf=pass smtp.mailfrom=jane@pass.example", "v2: tagged with the new authserv-id " .. ID2)
done(conn)
conn, r = message({ qid = "HUP6", ip = "192.0.2.102", esmtp = { "SIZE=6000" } })
is(r.rcpt[1], "replycode", "v2: SIZE=6000 is over security@'s 5000")
done(conn)
conn, r = message({ qid = "HUP7", ip = "192.0.2.103", rcpts = { "<other@example.org>" } })
is(r.eom, "continue", "v2: other@, the list added, is judged")
is(added_ar(conn), ID2 .. "; spf=pass smtp.mailfrom=jane@pass.example", "... and tagged")
done(conn)
conn, r = message({ qid = "HUP8", ip = "192.0.2.104", rcpts = { "<other@example.org>" }, esmtp = { "SIZE=1500" } })
is(r.rcpt[1], "replycode", "v2: other@'s own max_message_size (1000) applies")
done(conn)
conn, r = message({ qid = "HUP9", ip = "192.0.2.52", from = "<mallory@fail.example>" })
is(r.rcpt[1], "replycode", "v2: spf_fail = reject refuses spf=fail at RCPT")
done(conn)

-- the rate limit: 2/600 now; 192.0.2.50 sent one message under v1, and that counts
conn, r = message({ qid = "HUP10", ip = "192.0.2.50" })
is(r.eom, "continue", "v2: 192.0.2.50's second message is accepted")
done(conn)
conn, r = message({ qid = "HUP11", ip = "192.0.2.50" })
is(r.rcpt[1], "replycode", "v2: its third is refused: the new limit, and its count from before the reload")
done(conn)
