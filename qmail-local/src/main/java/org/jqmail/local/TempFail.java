package org.jqmail.local;

/** A temporary failure: qmail-local exits 111 and qmail-send retries later. */
final class TempFail extends Failure {
    private static final long serialVersionUID = 1L;

    TempFail(byte[] text) {
        super(text);
    }

    @Override
    int exitCode() {
        return Delivery.EXIT_TEMP;
    }
}
