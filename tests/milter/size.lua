-- tests/milter/size.lua - a list's max_message_size (2000 bytes for
-- security@, none for other@): refused from SIZE= at RCPT, and by counting
-- the message otherwise (552 5.3.4, checked in the log by t-milter.sh).
dofile(LIB)

local conn, r = message({ qid = "SIZE1", esmtp = { "SIZE=5000" } })
is(r.rcpt[1], "replycode", "SIZE=5000 over the list's 2000: refused at RCPT")
done(conn)

conn, r = message({ qid = "SIZE2", esmtp = { "SIZE=1500" } })
is(r.rcpt[1], "continue", "SIZE=1500 under the limit: RCPT accepted")
is(r.eom, "continue", "... and the message")
check(added_ar(conn) ~= nil, "... and tagged")
done(conn)

conn, r = message({ qid = "SIZE3", esmtp = { "SIZE=5000" }, rcpts = { "<security@example.org>", "<other@example.org>" } })
is(r.rcpt[1], "replycode", "SIZE over one list's limit: that recipient is refused")
is(r.rcpt[2], "continue", "... a list without a limit takes it")
is(r.eom, "continue", "... and the message goes on for it")
done(conn)

conn, r = message({ qid = "SIZE4", body = string.rep("x", 70) .. "\r\n" })
is(r.eom, "continue", "no SIZE=, a small message: accepted")
done(conn)

local big = string.rep(string.rep("y", 78) .. "\r\n", 40) -- 3200 bytes
conn, r = message({ qid = "SIZE5", body = big })
is(r.rcpt[1], "continue", "no SIZE=: RCPT accepted")
is(r.body, "replycode", "a body past the limit is refused while it arrives")
is(r.stopped, "body", "... and the message goes no further")
done(conn)

conn, r = message({ qid = "SIZE6", esmtp = { "SIZE=100" }, body = big })
is(r.body, "replycode", "a SIZE= that lies is caught by counting")
done(conn)

conn, r = message({ qid = "SIZE7", body = big, rcpts = { "<other@example.org>" } })
is(r.eom, "continue", "the same body to a list without a limit: accepted")
done(conn)
