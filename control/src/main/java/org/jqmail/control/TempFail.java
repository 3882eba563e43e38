package org.jqmail.control;

/** A temporary {@link Failure}. */
public final class TempFail extends Failure {
    private static final long serialVersionUID = 1L;

    public TempFail(byte[] text) {
        super(text);
    }

    @Override
    public boolean permanent() {
        return false;
    }
}
