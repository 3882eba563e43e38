package org.jqmail.local;

/** A permanent failure: qmail-local exits 100 and qmail-send bounces the message. */
final class PermFail extends Failure {
    private static final long serialVersionUID = 1L;

    PermFail(byte[] text) {
        super(text);
    }

    @Override
    int exitCode() {
        return Delivery.EXIT_PERM;
    }
}
