package org.jqmail.local;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Qmail;

/** Records one submission and answers with a preset status. */
final class FakeQueue implements Qmail, Qmail.Opener {
    final ByteArrayOutputStream message = new ByteArrayOutputStream();
    byte[] sender;
    final List<byte[]> rcpts = new ArrayList<>();
    boolean failed;
    int opened;
    String status = "";
    long qp = 31337;

    @Override
    public Qmail open() {
        opened++;
        return this;
    }

    @Override
    public void put(byte[] b, int off, int n) {
        message.write(b, off, n);
    }

    @Override
    public void fail() {
        failed = true;
    }

    @Override
    public void from(byte[] s) {
        sender = s;
    }

    @Override
    public void to(byte[] r) {
        rcpts.add(r);
    }

    @Override
    public String close() {
        return status;
    }

    @Override
    public long qp() {
        return qp;
    }
}
