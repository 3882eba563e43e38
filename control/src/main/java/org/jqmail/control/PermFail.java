package org.jqmail.control;

/** A permanent {@link Failure}. */
public final class PermFail extends Failure {
    private static final long serialVersionUID = 1L;

    public PermFail(byte[] text) {
        super(text);
    }

    @Override
    public boolean permanent() {
        return true;
    }
}
