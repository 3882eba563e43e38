package org.jqmail.inject;

/** A temporary failure: exit 111. */
final class TempFail extends Failure {
    private static final long serialVersionUID = 1L;

    TempFail(byte[] text) {
        super(text);
    }

    @Override
    int exitCode() {
        return 111;
    }
}
