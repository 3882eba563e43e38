package org.jqmail.control;

import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * The Received line qmail-smtpd, qmail-qmtpd and qmail-qmqpd write before the message
 * ({@code received.c}, qmail-smtpd(8)):
 * <pre>
 * Received: from REMOTEHOST (HELO HELONAME) (INFO@REMOTEIP)
 *   by LOCAL with SMTP; DATE
 * </pre>
 * (with {@code QMTP} or {@code QMQP}, and never a HELO name, for the other two).
 * {@code (HELO ...)} only when the HELO name differs from the remote host name (the caller
 * passes null otherwise), {@code INFO@} only with TCPREMOTEINFO. In every substituted value a
 * byte other than letters, digits and {@code . @ % + / = : - [ ]} becomes {@code ?}.
 */
public final class Received {
    private Received() {
    }

    public static boolean safe(byte ch) {
        return ch == '.' || ch == '@' || ch == '%' || ch == '+' || ch == '/' || ch == '=' || ch == ':'
                || ch == '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
                || (ch >= '0' && ch <= '9') || ch == '[' || ch == ']';
    }

    private static void safeput(ByteBuf b, byte[] s) {
        for (byte ch : s) {
            b.append(safe(ch) ? ch : '?');
        }
    }

    public static byte[] line(String protocol, byte[] local, byte[] remoteip, byte[] remotehost, byte[] remoteinfo,
                       byte[] helo, long now) {
        ByteBuf b = new ByteBuf(256, Integer.MAX_VALUE - 16);
        b.append("Received: from ");
        safeput(b, remotehost);
        if (helo != null) {
            b.append(" (HELO ");
            safeput(b, helo);
            b.append(")");
        }
        b.append(" (");
        if (remoteinfo != null) {
            safeput(b, remoteinfo);
            b.append("@");
        }
        safeput(b, remoteip);
        b.append(")\n  by ");
        safeput(b, local);
        b.append(" with ").append(Bytes.ascii(protocol)).append("; ");
        b.append(Date822.fmt(now));
        return b.toByteArray();
    }
}
