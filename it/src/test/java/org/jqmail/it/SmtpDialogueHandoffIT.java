package org.jqmail.it;

/**
 * {@link SmtpDialogueIT} against {@code tcpserver ... bin/qmail-smtpd}, the hand-off, with a
 * listener taking the connections over (doc/HANDOFF.md).
 */
class SmtpDialogueHandoffIT extends SmtpDialogueIT {
    @Override
    ReceiveRig.Mode mode() {
        return ReceiveRig.Mode.HANDOFF;
    }
}
