package org.jqmail.qmtpd;

import org.jqmail.control.Date822;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * The Received line qmail-qmtpd and qmail-qmqpd write before the message ({@code received.c}
 * without a HELO name):
 * <pre>
 * Received: from REMOTEHOST (INFO@REMOTEIP)
 *   by LOCAL with QMTP; DATE
 * </pre>
 * {@code INFO@} only with TCPREMOTEINFO; in every substituted value a byte other than letters,
 * digits and {@code . @ % + / = : - [ ]} becomes {@code ?}.
 */
final class Received {
    private Received() {
    }

    static boolean safe(byte ch) {
        return ch == '.' || ch == '@' || ch == '%' || ch == '+' || ch == '/' || ch == '=' || ch == ':'
                || ch == '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
                || (ch >= '0' && ch <= '9') || ch == '[' || ch == ']';
    }

    private static void safeput(ByteBuf b, byte[] s) {
        for (byte ch : s) {
            if (ch == 0) {
                break;
            }
            b.append(safe(ch) ? ch : '?');
        }
    }

    static byte[] line(String protocol, Remote r, long now) {
        ByteBuf b = new ByteBuf(256, Integer.MAX_VALUE - 16);
        b.append("Received: from ");
        safeput(b, r.remotehost);
        b.append(" (");
        if (r.remoteinfo != null) {
            safeput(b, r.remoteinfo);
            b.append("@");
        }
        safeput(b, r.remoteip);
        b.append(")\n  by ");
        safeput(b, r.local);
        b.append(" with ").append(Bytes.ascii(protocol)).append("; ");
        b.append(Date822.fmt(now));
        return b.toByteArray();
    }
}
