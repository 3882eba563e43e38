package org.jqmail.it;

import java.util.regex.Pattern;

/** The failure notices qmail-send writes (qmail-send(8), QSBMF), as regular expressions for the ITs. */
final class Qsbmf {
    /** A date as qmail's date822fmt writes it (always UTC). */
    static final String DATE = "\\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d -0000";

    private Qsbmf() {
    }

    /**
     * The regular expression for a bounce's lines from {@code Date:} down to the blank line after
     * "Below this line is a copy of the message.", for one failed recipient.
     *
     * @param me        the host qmail-send names (control/me, or bouncehost)
     * @param to        the {@code To:} address (the original sender)
     * @param recipient the failed recipient, without angle brackets
     * @param reason    the report text, its lines separated by {@code \n}, no final newline
     */
    static String notice(String me, String to, String recipient, String reason) {
        return "Date: " + DATE + "\n"
                + Pattern.quote("From: MAILER-DAEMON@" + me + "\n"
                + "To: " + to + "\n"
                + "Subject: failure notice\n\n"
                + "Hi. This is the qmail-send program at " + me + ".\n"
                + "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                + "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                + "<" + recipient + ">:\n"
                + reason + "\n\n"
                + "--- Below this line is a copy of the message.\n\n");
    }
}
