-- tests/milter/nonlist.lua - mail that is not for a list is accepted
-- untouched at DATA, the first moment every recipient is known.
dofile(LIB)

local conn, r = message({ qid = "NONLIST1", from = "<mallory@fail.example>", rcpts = { "<alice@example.org>" } })
is(r.rcpt[1], "continue", "non-list recipient: RCPT continues (a list recipient may follow)")
is(r.data, "accept", "non-list mail is accepted at DATA")
check(not mt.eom_check(conn, MT_HDRINSERT) and not mt.eom_check(conn, MT_HDRADD), "... no header is added")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<security-team@example.org>", "<security@example.net>", "<securityx@example.org>" } })
is(r.data, "accept", "look-alike addresses of the list are not the list")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<alice@example.org>", "<security@example.org>" } })
is(r.data, "continue", "a list recipient after a non-list one: the message is judged")
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "... and tagged")
done(conn)

conn, r = message({ from = "<mallory@fail.example>", rcpts = { "<security@example.org>", "<bob@example.net>" } })
is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=mallory@fail.example", "a list recipient before a non-list one: tagged")
done(conn)

conn, r = message({ rcpts = { "<alice@example.org>" }, ip = "192.0.2.99", esmtp = { "SIZE=999999999" } })
is(r.rcpt[1], "continue", "the list's size limit does not apply to non-list mail")
is(r.data, "accept", "... which is accepted")
done(conn)
