-- tests/milter/proto.lua - the steps the milter asks the MTA to send and to
-- wait for. Globals from the runner: LIMITS ("yes" when some list of the
-- configuration has a max_message_size, "no" when none has), ID.
dofile(LIB)

local limits = LIMITS == "yes"

local conn = mt.connect(SOCK, 50, 0.1)
if conn == nil then error("cannot connect to " .. SOCK) end
mt.conninfo(conn, "client.example", "192.0.2.10")   -- negotiates
for _, o in ipairs({ { SMFIP_NR_CONN, "NR_CONN" }, { SMFIP_NR_HELO, "NR_HELO" },
                     { SMFIP_NR_MAIL, "NR_MAIL" }, { SMFIP_NR_HDR, "NR_HDR" },
                     { SMFIP_NOEOH, "NOEOH" }, { SMFIP_NOUNKNOWN, "NOUNKNOWN" } }) do
	check(mt.test_option(conn, o[1]), "asked for " .. o[2] .. ": that step can refuse nothing")
end
for _, o in ipairs({ { SMFIP_NR_RCPT, "NR_RCPT" }, { SMFIP_NR_DATA, "NR_DATA" },
                     { SMFIP_NOHDRS, "NOHDRS" }, { SMFIP_NORCPT, "NORCPT" } }) do
	check(not mt.test_option(conn, o[1]), "did not ask for " .. o[2])
end
is(mt.test_option(conn, SMFIP_NOBODY), not limits,
   limits and "a list has a max_message_size: the body is sent" or "no list has a max_message_size: no body")
check(mt.test_option(conn, SMFIP_NODATA), "asked for NODATA: every message is wanted to its end")
done(conn)

-- what the steps left out change nothing in the verdicts
conn, r = message({ qid = "PROTO1", from = "<mallory@fail.example>" })
is(r.mail .. "/" .. r.rcpt[1], "continue/continue", "a list message: MAIL and RCPT go on")
is(r.eom, "continue", "... it is accepted at the end")
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "... and tagged")
done(conn)

conn, r = message({ qid = "PROTO2", rcpts = { "<alice@example.org>" } })
is(r.data, nil, "mail for no list: no DATA step")
if limits then
	is(r.body, "skip", "mail for no list skips its body")
end
is(r.eom, "accept", "... it is accepted at the end of the message")
check(not mt.eom_check(conn, MT_HDRINSERT) and not mt.eom_check(conn, MT_HDRADD), "... untouched")
done(conn)

conn, r = message({ qid = "PROTO3", rcpts = { "<alice@example.org>", "<security+SEC-2026-0003@example.org>" },
                    headers = { { "Authentication-Results", ID .. "; spf=pass smtp.mailfrom=x@pass.example" },
                                { "Subject", "mixed" } } })
is(r.eom, "continue", "a list recipient after another: the message is judged")
check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "... a forged field is removed")
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "... and ours added")
done(conn)

conn, r = message({ qid = "PROTO4", body = string.rep(string.rep("z", 78) .. "\r\n", 40) })
if limits then
	is(r.body, "replycode", "3200 bytes over security@'s 2000: refused while the body arrives")
else
	is(r.eom, "continue", "3200 bytes with no limit: accepted")
end
done(conn)
