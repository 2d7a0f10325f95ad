-- tests/milter/hostile.lua - a domain whose SPF records crash libspf2
-- (hostile.example in tests/milter/zone) costs that one lookup: the
-- message is temperror, the next one on the same connection and on a new
-- one is judged as usual. WANT is the result of the hostile lookup
-- (temperror; what a milter that does not contain libspf2 never answers).
dofile(LIB)

-- one transaction on CONN from FROM; the Authentication-Results field added
local function transaction(conn, qid, from)
	mt.macro(conn, SMFIC_MAIL, "i", qid)
	if mt.mailfrom(conn, from) ~= nil then return nil end
	if mt.rcptto(conn, "<security@example.org>") ~= nil or reply(conn) ~= "continue" then
		return nil
	end
	if not mt.test_option(conn, SMFIP_NODATA) then mt.data(conn) end
	mt.header(conn, "From", from)
	mt.header(conn, "Subject", "a report")
	if not mt.test_option(conn, SMFIP_NOEOH) then mt.eoh(conn) end
	if not mt.test_option(conn, SMFIP_NOBODY) then mt.bodystring(conn, "Details.\r\n") end
	if mt.eom(conn) ~= nil or reply(conn) ~= "continue" then return nil end
	return added_ar(conn)
end

local conn = mt.connect(SOCK, 50, 0.1)
if conn == nil then error("cannot connect to " .. SOCK) end
mt.conninfo(conn, "client.example", "192.0.2.10")
mt.helo(conn, "client.example")
is(transaction(conn, "HOSTILE1", "<mallory@hostile.example>"),
   ID .. "; spf=" .. WANT .. " smtp.mailfrom=mallory@hostile.example",
   "a domain whose records crash libspf2: spf=" .. WANT)
is(transaction(conn, "HOSTILE2", "<jane@pass.example>"), ID .. "; spf=pass smtp.mailfrom=jane@pass.example",
   "the next message on that connection is judged as usual")
done(conn)

local c2, r = message({ qid = "HOSTILE3", ip = "192.0.2.10", from = "<mallory@fail.example>" })
is(added_ar(c2), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "a new connection is judged as usual")
done(c2)
