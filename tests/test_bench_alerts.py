"""`make bench`'s email alerts scenario (bench/alerts.py), its fixed parts: what it checks in the SMTP
sink's messages, how it reads `send_queued_emails`, the admin form's inline panels, and its verdict
against the issue's goals. No server, no database."""

from email.message import EmailMessage

import pytest

from bench.alerts import (
    MARKER_DOMAIN,
    AlertFigures,
    MailCheck,
    check_messages,
    format_alerts,
    management_fields,
    off_goal,
    parse_sent,
)

UNSUBSCRIBE = "<https://localhost:8443/en/alerts/unsubscribe/AbC-123_x/>"


def address(number: int) -> str:
    return f"reader{number:05d}@{MARKER_DOMAIN}"


def raw_alert(to: str, body: str = "A new release.", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = "Civic Innovation Office <innovation@example.ca>"
    message["To"] = to
    message["Subject"] = "News release: Transit data"
    message["List-Unsubscribe"] = headers.get("unsubscribe", UNSUBSCRIBE)
    message["List-Unsubscribe-Post"] = headers.get("post", "List-Unsubscribe=One-Click")
    message.set_content(body, cte="base64")  # decoded before it is searched
    return message.as_bytes()


def test_one_message_per_recipient_with_the_headers_passes():
    received = [([address(n)], raw_alert(address(n), f"For {address(n)} only.")) for n in range(3)]
    received.append((["lena@example.ca"], raw_alert("lena@example.ca")))  # a demo subscriber
    assert check_messages(received) == MailCheck(messages=3, recipients=3, others=1, problems=[])


def test_what_the_sink_check_catches():
    received = [
        ([address(1)], raw_alert(address(1))),
        ([address(1)], raw_alert(address(1))),  # twice to the same person
        ([address(2)], raw_alert(address(2), f"Also sent to {address(3)}.")),  # another's address, in base64
        ([address(4), address(5)], raw_alert(f"{address(4)}, {address(5)}")),  # two recipients
        ([address(6)], raw_alert(address(6), unsubscribe="<mailto:leave@example.ca>")),
        ([address(7)], raw_alert(address(7), post="")),
        ([address(8)], raw_alert(address(9))),  # the envelope and the To header disagree
    ]
    check = check_messages(received)
    assert (check.messages, check.recipients, check.others) == (7, 6, 0)
    assert check.problems == [
        "3 message(s) naming another subscriber",  # the 2nd, 4th and 7th
        "2 message(s) not to exactly its one recipient",
        "1 message(s) recipients who got more than one",
        "1 message(s) without List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "1 message(s) without a List-Unsubscribe link",
    ]


def test_the_send_command_output_is_read():
    output = (
        "sent 200, will retry 0, gave up 0, nothing to send 0, left for the next run 0; 0 old staff email(s) deleted"
    )
    assert parse_sent(output) == 200
    with pytest.raises(ValueError, match="not send_queued_emails output"):
        parse_sent("Traceback (most recent call last):")


def test_the_admin_forms_inline_panels_are_posted_empty():
    html = """<input type="hidden" name="events-TOTAL_FORMS" value="0" id="id_events-TOTAL_FORMS">
    <input id="x" value="1000" name="events-MAX_NUM_FORMS" type="hidden"><input name="title" value="">
    <input type="hidden" name="comments-INITIAL_FORMS" value="0">"""
    assert management_fields(html) == {
        "events-TOTAL_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "comments-INITIAL_FORMS": "0",
    }


def figures(**changes) -> AlertFigures:
    values = {
        "subscribers": 20000,
        "other_subscribers": 2,
        "publish_without": [0.50, 0.52, 0.48],
        "publish_with": [0.51, 0.51, 0.70],
        "queued_after": [5.0, 6.0, 7.0],
        "sent_at_once": [200, 180, 200],
        "left_sending": [0, 1, 0],
        "backstop": [False, False, False],
        "fan_out_seconds": 4.2,
        "fan_out_queued": 20000,
        "per_run": 200,
        "send_runs": [{"sent": 200, "seconds": 10.0}, {"sent": 200, "seconds": 10.0}],
        "mail": MailCheck(messages=400, recipients=400, others=0),
        "load_average": 1.5,
    }
    return AlertFigures(**{**values, **changes})


def test_the_goals_hold_the_medians_and_the_slowest_queueing():
    within = figures()
    assert round(within.publish_ratio, 3) == 1.02 and within.sent == 400 and within.send_rate == 20.0
    assert off_goal(within) == []
    assert format_alerts(within).endswith("verdict: every goal met")
    assert off_goal(figures(publish_with=[0.58, 0.60, 0.56])) == [
        "the publish takes 1.16 times as long with 20,000 subscribers (goal: at most 1.10)"
    ]
    assert off_goal(figures(queued_after=[5.0, 31.0, 6.0])) == ["queued in 31.0 s (goal: under 30 s)"]
    assert off_goal(figures(backstop=[False, True, False])) == [
        "1 of 3 fan-outs given up by the app (its background budget), left to send_alerts"
    ]
    short = figures(mail=MailCheck(messages=399, recipients=399, others=0, problems=["1 message(s) naming x"]))
    assert off_goal(short) == ["the sink got 399 bench messages for 400 sent", "1 message(s) naming x"]


def test_the_table_has_a_line_per_figure():
    lines = format_alerts(figures()).splitlines()
    assert lines[0].split() == ["measure", "figure", "goal"]
    assert lines[3].split()[-2:] == ["<=", "1.10"] and "1.020" in lines[3]
    assert "200/min: 20,000 in 100 min" in format_alerts(figures())
    assert "400 in 2 runs, 20.0/s" in format_alerts(figures())
