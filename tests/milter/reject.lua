-- tests/milter/reject.lua - spf_fail = reject: spf=fail is refused at RCPT
-- with 550 5.7.23 (checked in the log by t-milter.sh); nothing else is.
dofile(LIB)

local conn, r = message({ qid = "REJ1", ip = "192.0.2.20", from = "<mallory@fail.example>" })
is(r.rcpt[1], "replycode", "spf=fail is refused at RCPT")
is(r.stopped, "rcpt", "... the message goes no further")
done(conn)

conn, r = message({ qid = "REJ2", ip = "198.51.100.7", from = "<>", helo = "helo.example" })
is(r.rcpt[1], "replycode", "a null sender whose HELO fails is refused")
done(conn)

conn, r = message({ qid = "REJ3", ip = "192.0.2.20", from = "<mallory@fail.example>", rcpts = { "<alice@example.org>" } })
is(r.eom, "accept", "the same sender to a non-list address is untouched")
done(conn)

for i, c in ipairs({ { "softfail", "sam@softfail.example" }, { "temperror", "tim@temperror.example" },
                     { "permerror", "pat@permerror.example" }, { "none", "nora@norecord.example" },
                     { "pass", "jane@pass.example" } }) do
	conn, r = message({ ip = "192.0.2." .. (30 + i), from = "<" .. c[2] .. ">" })
	is(r.eom, "continue", "spf=" .. c[1] .. " is not refused")
	is(added_ar(conn), ID .. "; spf=" .. c[1] .. " smtp.mailfrom=" .. c[2], "... it is tagged")
	done(conn)
end
