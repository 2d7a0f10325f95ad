-- tests/milter/ratecap.lua - the rate limit's table is capped (the runner
-- starts the milter with EMBARGO_MILTER_RATE_TABLE_MAX=50 and rate_limit =
-- 2/600): 100 distinct client addresses do not make it grow past 50; the
-- least recently seen are forgotten, and a recent address is still limited.
dofile(LIB)

local function must(err, what)
	if err ~= nil then error(what .. ": " .. tostring(err)) end
end

-- one message from IP to security@, as far as RCPT (where it is counted)
local function rcpt_from(ip)
	local conn = mt.connect(SOCK, 50, 0.1)
	if conn == nil then error("cannot connect to " .. SOCK) end
	must(mt.conninfo(conn, "client.example", ip), "conninfo")
	must(mt.helo(conn, "client.example"), "helo")
	must(mt.mailfrom(conn, "<jane@pass.example>"), "mailfrom")
	must(mt.rcptto(conn, "<security@example.org>"), "rcptto")
	local r = reply(conn)
	mt.disconnect(conn)
	return r
end

is(rcpt_from("192.0.2.200") .. "/" .. rcpt_from("192.0.2.200"), "continue/continue",
   "192.0.2.200: two messages of 2")
is(rcpt_from("192.0.2.200"), "replycode", "192.0.2.200: the third is refused")

local all = true
for i = 1, 100 do
	if rcpt_from("203.0.113." .. i) ~= "continue" then all = false end
end
check(all, "100 other addresses, one message each, are all accepted")

is(rcpt_from("203.0.113.100"), "continue", "the most recent of them: its second message is accepted")
is(rcpt_from("203.0.113.100"), "replycode", "... its third refused: the limit holds for a recent address")
is(rcpt_from("192.0.2.200"), "continue",
   "192.0.2.200 was forgotten (the table holds 50), so its count starts again")
