"""The pure modules: the editor's markup and the DSN reader."""

from hemicycle.newsletters import markup
from hemicycle.newsletters.dsn import dsn_parse

SOURCE = """## Budget 2027

Nos élu·e·s ont défendu **trois amendements** <script>.
Détail : https://example.org/budget?a=1&b=2.

- collèges
- cantines bio"""


def test_the_markup_makes_headings_lists_bold_and_links_and_escapes_the_rest():
    html = markup.to_html(SOURCE, color="#112233")
    assert '<h2 style="margin:24px 0 8px;font-size:20px;color:#112233;">Budget 2027</h2>' in html
    assert "<strong>trois amendements</strong>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert 'href="https://example.org/budget?a=1&amp;b=2"' in html
    assert "<li" in html and "cantines bio" in html


def test_the_plain_text_part_keeps_the_content_and_the_links_whole():
    text = markup.to_text(SOURCE)
    assert text.startswith("Budget 2027\n===========")
    assert "https://example.org/budget?a=1&b=2." in text
    assert "- collèges" in text and "**" not in text


DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: bounces@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"

--BOUND
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.

--BOUND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 23 Nov 2026 06:00:00 +0100

Final-Recipient: rfc822; gone@example.net
Original-Recipient: rfc822;gone@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address
    rejected: User unknown

Final-Recipient: rfc822; full@example.net
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

--BOUND
Content-Type: text/rfc822-headers

From: Groupe <noreply@example.org>
To: gone@example.net
Subject: La lettre
Message-ID: <0123456789abcdef0123456789abcdef.42@example.org>

--BOUND--
"""


def test_a_dsn_gives_each_recipient_with_action_status_and_the_original_message_id():
    hard, soft = dsn_parse(DSN)
    assert hard.recipient == "gone@example.net"
    assert hard.action == "failed" and hard.status == "5.1.1" and hard.is_permanent
    assert "User unknown" in hard.diagnostic
    assert hard.message_id == "<0123456789abcdef0123456789abcdef.42@example.org>"
    assert soft.recipient == "full@example.net" and not soft.is_permanent


def test_a_message_that_is_not_a_dsn_gives_nothing():
    assert dsn_parse(b"From: a@example.org\nSubject: hello\n\nJust a reply.\n") == []
