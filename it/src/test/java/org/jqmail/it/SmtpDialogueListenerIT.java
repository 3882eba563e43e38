package org.jqmail.it;

/** {@link SmtpDialogueIT} against {@code bin/qmail-smtpd-listener}. */
class SmtpDialogueListenerIT extends SmtpDialogueIT {
    @Override
    ReceiveRig.Mode mode() {
        return ReceiveRig.Mode.LISTENER;
    }
}
