-- tests/milter/spellings.lua - every spelling of a list address that the
-- MTA delivers to the list is judged as the list's (tagged, forged fields
-- removed), and so is a recipient the milter cannot read with confidence.
dofile(LIB)

local forged = { { "Authentication-Results", ID .. "; spf=pass smtp.mailfrom=alice@example.org" },
	{ "From", "Alice <alice@example.org>" } }
local function judged(rcpt, desc)
	local conn, r = message({ from = "<alice@example.org>", ip = "192.0.2.66", rcpts = { rcpt }, headers = forged })
	is(r.eom, "continue", desc .. ": judged")
	check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), desc .. ": the forged field is removed")
	is(added_ar(conn), ID .. "; spf=fail smtp.mailfrom=alice@example.org", desc .. ": tagged with the real SPF result")
	done(conn)
end

judged("<SECURITY@EXAMPLE.ORG>", "upper case")
judged("<security+SEC-2026-0001@example.org>", "a +extension")
judged("<\"security+SEC-2026-0001\"@example.org>", "a quoted local part")
judged("<\"sec\\urity\"@example.org>", "a quoted local part with a backslash escape")
judged("<security@example.org.>", "a trailing dot in the domain")
judged("<@relay.example,@relay2.example:security+SEC-2026-0001@example.org>", "a source route")
judged("\"security\"@Example.Org.", "without brackets, quoted, trailing dot")
judged("<security-SEC-2026-0001@example.org>", "another delimiter than '+' (the MTA's may be '-')")
judged("<security%example.org@example.org>", "the percent hack (unsure: judged)")
judged("<example.org!security@example.org>", "a bang path (unsure: judged)")
judged("<security>", "no domain (the MTA appends its own: unsure, judged)")
judged("<security@[127.0.0.1]>", "a domain literal (unsure: judged)")
judged("<\"security@example.org>", "a broken quoted string (unsure: judged)")
judged("<\"se\\curity\"x@example.org>", "a quoted string that does not end the local part (unsure: judged)")

-- what cannot be read but names no list's local part is no list's
local conn, r = message({ from = "<alice@example.org>", ip = "192.0.2.66", rcpts = { "<Postmaster>" }, headers = forged })
is(r.eom, "accept", "a bare <Postmaster>: not judged")
check(not mt.eom_check(conn, MT_HDRINSERT), "... not tagged")
check(mt.eom_check(conn, MT_HDRDELETE, "Authentication-Results"), "... but its forged field is removed all the same")
done(conn)
