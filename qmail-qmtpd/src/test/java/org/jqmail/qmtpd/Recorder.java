package org.jqmail.qmtpd;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Qmail;

/** A queue that records submissions and accepts them all (qp 4711). */
final class Recorder implements Qmail.Opener {
    final List<Sub> subs = new ArrayList<>();

    static final class Sub implements Qmail {
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] from;
        final List<byte[]> to = new ArrayList<>();
        boolean failed;
        boolean closed;

        @Override
        public void put(byte[] b, int off, int n) {
            if (message.size() < 1 << 20) {
                message.write(b, off, n);
            }
        }

        @Override
        public void fail() {
            failed = true;
        }

        @Override
        public void from(byte[] sender) {
            from = sender;
        }

        @Override
        public void to(byte[] rcpt) {
            to.add(rcpt);
        }

        @Override
        public String close() {
            closed = true;
            return failed ? "Zqq read error (#4.3.0)" : "";
        }

        @Override
        public long qp() {
            return 4711;
        }
    }

    @Override
    public Qmail open() {
        Sub s = new Sub();
        subs.add(s);
        return s;
    }
}
