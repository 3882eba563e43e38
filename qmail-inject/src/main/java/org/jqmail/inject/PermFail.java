package org.jqmail.inject;

/** A permanent failure: exit 100. */
final class PermFail extends Failure {
    private static final long serialVersionUID = 1L;

    PermFail(byte[] text) {
        super(text);
    }

    @Override
    int exitCode() {
        return 100;
    }
}
