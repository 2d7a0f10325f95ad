-- tests/milter/nonlist.lua - mail that is surely for no list is let through
-- untagged, its body skipped, and accepted at the end of the message, where
-- only Authentication-Results fields claiming our authserv-id are removed.
dofile(LIB)

local conn, r = message({ qid = "NONLIST1", from = "<mallory@fail.example>", rcpts = { "<alice@example.org>" } })
is(r.rcpt[1], "continue", "non-list recipient: RCPT continues (a list recipient may follow)")
is(r.eom, "accept", "non-list mail is accepted at its end")
check(not mt.eom_check(conn, MT_HDRINSERT) and not mt.eom_check(conn, MT_HDRADD), "... no header is added")
check(not mt.eom_check(conn, MT_HDRDELETE), "... none is deleted")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<security@example.net>", "<securityx@example.org>", "<xsecurity@example.org>" } })
is(r.eom, "accept", "look-alike addresses of the list are not the list")
check(not mt.eom_check(conn, MT_HDRINSERT), "... and not tagged")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<alice@example.org>", "<security@example.org>" } })
is(r.eom, "continue", "a list recipient after a non-list one: the message is judged")
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "... and tagged")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<security@example.org>", "<bob@example.net>" } })
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "a list recipient before a non-list one: tagged")
done(conn)

conn, r = message({ rcpts = { "<alice@example.org>" }, ip = "192.0.2.99", esmtp = { "SIZE=999999999" } })
is(r.rcpt[1], "continue", "the list's size limit does not apply to non-list mail")
is(r.eom, "accept", "... which is accepted")
done(conn)

-- a forged field in mail for no list goes too: the mail may still reach a
-- list by a way the milter cannot see (an alias, a virtual map)
conn, r = message({ qid = "NONLISTAR", from = "<mallory@fail.example>", rcpts = { "<alias@example.org>" }, headers = {
	{ "Authentication-Results", ID .. "; spf=pass smtp.mailfrom=alice@example.org" },
	{ "Authentication-Results", "other.example; spf=pass" },
	{ "From", "alice@example.org" },
} })
is(r.eom, "accept", "non-list mail with a forged field of ours: accepted")
check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "... without the forged field")
check(not mt.eom_check(conn, MT_HDRINSERT), "... and untagged")
done(conn)
