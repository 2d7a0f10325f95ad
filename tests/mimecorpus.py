#!/usr/bin/env python3
"""tests/mimecorpus.py - the defective mail of tests/t-mime-defects.sh, made
by Python's email package as clients write it, then damaged the way
gateways and clients damage it. Usage: mimecorpus.py KIND OUT [ARGS...].
Also: mimecorpus.py cut FILE cuts a client's mail short;
mimecorpus.py parts TEAM-ENTITY DIR, which splits a decrypted team
copy into DIR/summary and DIR/N.data, DIR/N.type, DIR/N.name per leaf."""
import email
import email.encoders
import email.policy
import sys
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

LIST = 'security@example.org'
POC = bytes(range(256)) * 3 + b'\r\n--not-a-boundary\r\n'


def head(m, mid, subject='Report', sender='Jane <jane@example.net>'):
    m['From'] = sender
    m['To'] = LIST
    m['Subject'] = subject
    m['Message-ID'] = '<%s>' % mid
    m['Date'] = 'Mon, 23 Nov 2026 10:00:00 +0000'


def report(mid):
    m = EmailMessage()
    head(m, mid)
    m.set_content('The overflow is in parse_header().\n')
    m.add_attachment(POC, maintype='application', subtype='octet-stream', filename='poc.bin')
    return m


def truncate(raw, boundary):
    """Cut before the closing boundary, as a gateway that stops early does."""
    return raw[:raw.rindex(b'--' + boundary.encode() + b'--')]


def main():
    kind, out = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    if kind == 'parts':
        return parts(out, args[0])
    if kind == 'cut':
        # OUT, a client's mail, cut before its last closing boundary
        data = open(out, 'rb').read()
        boundary = email.message_from_bytes(data).get_boundary()
        data = truncate(data, boundary)
    elif kind == 'poc':
        data = POC
    elif kind == 'truncated':
        m = report('trunc@example.net')
        data = truncate(m.as_bytes(), m.get_boundary())
    elif kind == 'two-to':
        data = report('twoto@example.net').as_bytes().replace(
            b'To: security@example.org\n', b'To: security@example.org\nTo: other@example.org\n')
    elif kind == 'from-line':
        data = b'From jane@example.net Mon Nov 23 10:00:00 2026\n' + report('fromline@example.net').as_bytes()
    elif kind == 'preamble':
        data = (b'This is the mail system at host mx.example.net.\n\n'
                + report('preamble@example.net').as_bytes())
    elif kind == 'bad-name':
        data = report('badname@example.net').as_bytes().replace(
            b'Subject: Report\n', b'Subject: Report\nX Mailer Version: 1.0\n')
    elif kind == 'encrypted-truncated':
        # PGP/MIME cut before its closing boundary; ARGS: the armored ciphertext
        m = MIMEMultipart('encrypted', protocol='application/pgp-encrypted')
        head(m, 'enctrunc@example.net')
        v = MIMEApplication('Version: 1\n', 'pgp-encrypted', email.encoders.encode_7or8bit)
        c = MIMEApplication(open(args[0], 'rb').read(), 'octet-stream', email.encoders.encode_7or8bit)
        m.attach(v)
        m.attach(c)
        data = truncate(m.as_bytes(), m.get_boundary())
    elif kind in ('exchange', 'exchange-text'):
        # what Exchange makes of PGP/MIME: multipart/mixed, an empty body,
        # the version part and the ciphertext as base64 attachments
        m = MIMEMultipart('mixed')
        head(m, kind + '@example.net', sender=args[1] if len(args) > 1 else 'Jane <jane@example.net>')
        m.attach(MIMEText('' if kind == 'exchange' else 'Unprotected words.\n', 'plain', 'utf-8'))
        v = MIMEApplication(b'Version: 1\r\n', 'pgp-encrypted')
        v.add_header('Content-Disposition', 'attachment', filename='PGPMIME Versions Identification')
        m.attach(v)
        c = MIMEApplication(open(args[0], 'rb').read(), 'octet-stream')
        c.add_header('Content-Disposition', 'attachment', filename='encrypted.asc')
        m.attach(c)
        data = m.as_bytes()
    elif kind == 'inline':
        # ARGS: armored ciphertext, the charset the outer part declares
        m = EmailMessage()
        head(m, 'inline-%s@example.net' % args[1])
        m.set_content(open(args[0], 'rb').read(), maintype='text', subtype='plain',
                      cte='7bit')
        m.replace_header('Content-Type', 'text/plain; charset="%s"' % args[1])
        data = m.as_bytes()
    elif kind == 'quoted':
        # a plain report quoting an armored message (ARGS[0]) and a key block (ARGS[1])
        m = EmailMessage()
        head(m, 'quoted@example.net', subject='Crash when opening this mail')
        text = ('The client crashes on this message:\n\n' + open(args[0]).read()
                + '\nand this key:\n\n' + open(args[1]).read())
        m.set_content(text)
        data = m.as_bytes()
    elif kind == 'mixed-truncated':
        # a decryptable inline part and a plain part, the whole cut short
        m = MIMEMultipart('mixed')
        head(m, 'mixtrunc@example.net')
        m.attach(MIMEText(open(args[0]).read(), 'plain', 'us-ascii'))
        m.attach(MIMEText('UNPROTECTED TEXT beside the encryption.\n', 'plain', 'us-ascii'))
        data = truncate(m.as_bytes(), m.get_boundary())
    elif kind == 'two-from':
        # what cannot be processed: whose mail is it?
        m = MIMEMultipart('mixed')
        head(m, 'twofrom@example.net')
        m['From'] = 'Mallory <mallory@example.net>'
        m.attach(MIMEText('Caf\u00e9 text that can be read.\n', 'plain', 'iso-8859-1'))
        m.attach(MIMEApplication(POC, 'octet-stream'))
        data = m.as_bytes()
    else:
        sys.exit('unknown kind ' + kind)
    with open(out, 'wb') as f:
        f.write(data)


def parts(entity, outdir):
    msg = email.message_from_binary_file(open(entity, 'rb'), policy=email.policy.compat32)
    leaves = [p for p in msg.walk() if not p.is_multipart()]
    summary = leaves[0].get_payload(decode=True).decode('utf-8')
    with open(outdir + '/summary', 'w') as f:
        f.write(summary)
    for i, p in enumerate(leaves[1:], 1):
        data = p.get_payload(decode=True) or b''
        if p.get_content_maintype() == 'text':
            # a text its label does not fit (a client's mislabel) stays as it came
            try:
                data = data.decode(p.get_content_charset() or 'us-ascii').encode('utf-8')
            except (UnicodeDecodeError, LookupError):
                pass
        with open('%s/%d.data' % (outdir, i), 'wb') as f:
            f.write(data)
        with open('%s/%d.type' % (outdir, i), 'w') as f:
            f.write(p.get_content_type() + '\n')
        with open('%s/%d.name' % (outdir, i), 'w') as f:
            f.write((p.get_filename() or '') + '\n')


if __name__ == '__main__':
    main()
