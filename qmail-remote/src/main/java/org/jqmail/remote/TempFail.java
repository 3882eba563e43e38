package org.jqmail.remote;

/** A temporary failure: report letter {@code Z}. */
public final class TempFail extends Failure {
    private static final long serialVersionUID = 1L;

    TempFail(byte[] text) {
        super(text);
    }

    @Override
    public byte letter() {
        return 'Z';
    }
}
