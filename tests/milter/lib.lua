-- tests/milter/lib.lua - helpers for embargo-milter's miltertest scripts.
-- Each check prints "ok - DESCRIPTION" or "not ok - DESCRIPTION"; the TAP
-- runner (tests/t-milter.sh) numbers them. Globals from the runner: SOCK
-- (the milter's socket), ID (our authserv-id).

function check(cond, desc)
	print((cond and "ok" or "not ok") .. " - " .. desc)
	return cond
end

function is(got, want, desc)
	local ok = got == want
	check(ok, desc)
	if not ok then
		print("#   got:  " .. tostring(got))
		print("#   want: " .. tostring(want))
	end
	return ok
end

local function must(err, what)
	if err ~= nil then error(what .. ": " .. tostring(err)) end
end

local replies = {
	[SMFIR_CONTINUE] = "continue", [SMFIR_ACCEPT] = "accept", [SMFIR_REJECT] = "reject",
	[SMFIR_TEMPFAIL] = "tempfail", [SMFIR_REPLYCODE] = "replycode", [SMFIR_DISCARD] = "discard",
	[SMFIR_SKIP] = "skip",
}
function reply(conn)
	local r = mt.getreply(conn)
	return replies[r] or tostring(r)
end

-- message{qid=, ip=, helo=, from=, esmtp={...}, rcpts={...}, headers={{n,v},...}, body=}
-- Runs one SMTP transaction on a new connection as far as the milter lets
-- it, and returns the connection (still open, for eom_check and getheader)
-- and a table: mail, rcpt[i], data, header, eoh, body, eom ("continue",
-- "accept", "replycode", ...; nil for a step not taken) and stopped (the
-- step that ended it, if any).
function message(m)
	local conn = mt.connect(SOCK, 50, 0.1)
	if conn == nil then error("cannot connect to " .. SOCK) end
	local r = { rcpt = {} }
	must(mt.conninfo(conn, "client.example", m.ip or "192.0.2.10"), "conninfo")
	must(mt.helo(conn, m.helo or "client.example"), "helo")
	if m.qid then mt.macro(conn, SMFIC_MAIL, "i", m.qid) end
	must(mt.mailfrom(conn, m.from or "<jane@pass.example>", table.unpack(m.esmtp or {})), "mailfrom")
	r.mail = reply(conn)
	if r.mail ~= "continue" then r.stopped = "mail"; return conn, r end
	local any = false
	for i, rcpt in ipairs(m.rcpts or { "<security@example.org>" }) do
		must(mt.rcptto(conn, rcpt), "rcptto")
		r.rcpt[i] = reply(conn)
		if r.rcpt[i] == "continue" then any = true end
	end
	if not any then r.stopped = "rcpt"; return conn, r end
	-- the steps the milter asked the MTA not to send are not sent, as an
	-- MTA would not: DATA and the body when no list has a
	-- max_message_size, the end of headers always; r.data, r.eoh, r.body
	-- then stay nil
	if not mt.test_option(conn, SMFIP_NODATA) then
		must(mt.data(conn), "data")
		r.data = reply(conn)
		if r.data ~= "continue" then r.stopped = "data"; return conn, r end
	end
	for _, h in ipairs(m.headers or { { "From", "Jane <jane@pass.example>" }, { "Subject", "A problem" } }) do
		must(mt.header(conn, h[1], h[2]), "header")
		r.header = reply(conn)
		if r.header ~= "continue" then r.stopped = "header"; return conn, r end
	end
	if not mt.test_option(conn, SMFIP_NOEOH) then
		must(mt.eoh(conn), "eoh")
		r.eoh = reply(conn)
		if r.eoh ~= "continue" then r.stopped = "eoh"; return conn, r end
	end
	if not mt.test_option(conn, SMFIP_NOBODY) then
		must(mt.bodystring(conn, m.body or "Details of the problem.\r\n"), "body")
		r.body = reply(conn)
		-- "skip": the rest of the body is not wanted, the end of the message is
		if r.body ~= "continue" and r.body ~= "skip" then r.stopped = "body"; return conn, r end
	end
	must(mt.eom(conn), "eom")
	r.eom = reply(conn)
	return conn, r
end

-- The Authentication-Results field the milter inserted, or nil.
function added_ar(conn)
	return mt.getheader(conn, "Authentication-Results", 0)
end

function done(conn)
	mt.disconnect(conn)
end
