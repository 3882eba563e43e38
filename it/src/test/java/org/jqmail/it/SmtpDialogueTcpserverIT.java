package org.jqmail.it;

/**
 * {@link SmtpDialogueIT} against {@code tcpserver ... bin/qmail-smtpd-jvm}, the JVM
 * qmail-smtpd per connection (Debian's ucspi-tcp).
 */
class SmtpDialogueTcpserverIT extends SmtpDialogueIT {
    @Override
    ReceiveRig.Mode mode() {
        return ReceiveRig.Mode.TCPSERVER;
    }
}
