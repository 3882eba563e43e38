package org.jqmail.remote;

/** A permanent failure: report letter {@code D}. */
public final class PermFail extends Failure {
    private static final long serialVersionUID = 1L;

    PermFail(byte[] text) {
        super(text);
    }

    @Override
    public byte letter() {
        return 'D';
    }
}
