-- tests/milter/rate.lua - rate_limit = 3/600: a client address gets 3
-- messages to the lists per 600 seconds; beyond, 451 4.7.1 at RCPT.
dofile(LIB)

for i = 1, 3 do
	local conn, r = message({ qid = "RATE" .. i, ip = "192.0.2.77" })
	is(r.eom, "continue", "message " .. i .. " of 3 from 192.0.2.77 is accepted")
	done(conn)
end
local conn, r = message({ qid = "RATE4", ip = "192.0.2.77" })
is(r.rcpt[1], "replycode", "the fourth within the window is refused at RCPT")
done(conn)
conn, r = message({ qid = "RATE5", ip = "192.0.2.77", rcpts = { "<security@example.org>", "<security+SEC-2026-0001@example.org>" } })
is(r.rcpt[1] .. "/" .. r.rcpt[2], "replycode/replycode", "every list recipient of the message is refused")
done(conn)
conn, r = message({ qid = "RATE6", ip = "192.0.2.77", rcpts = { "<alice@example.org>" } })
is(r.eom, "accept", "mail from that client to others still goes through")
done(conn)
conn, r = message({ qid = "RATE7", ip = "192.0.2.78" })
is(r.eom, "continue", "another client address is not limited")
done(conn)
conn, r = message({ qid = "RATE8", ip = "2001:db8::77" })
is(r.eom, "continue", "an IPv6 client has its own count")
done(conn)

-- several recipients count as one message
conn, r = message({ qid = "RATE9", ip = "192.0.2.79", rcpts = { "<security@example.org>", "<other@example.org>", "<security+SEC-2026-0002@example.org>" } })
is(r.eom, "continue", "one message to three list addresses")
done(conn)
for i = 1, 2 do
	conn, r = message({ ip = "192.0.2.79" })
	is(r.eom, "continue", "... counts once: message " .. (i + 1) .. " of 3 is accepted")
	done(conn)
end
