package org.jqmail.smtpd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Qmail;

/** A queue that records what a session submits and answers with a chosen status. */
final class FakeQmail implements Queue {
    final ByteArrayOutputStream message = new ByteArrayOutputStream();
    byte[] sender;
    final List<byte[]> recipients = new ArrayList<>();
    boolean failed;
    boolean closed;
    int opens;
    String status = "";
    boolean refuse;

    @Override
    public Qmail open(Map<String, String> env) throws IOException {
        if (refuse) {
            throw new IOException("no queue");
        }
        opens++;
        message.reset();
        recipients.clear();
        sender = null;
        failed = false;
        closed = false;
        return new Qmail() {
            @Override
            public void put(byte[] b, int off, int n) {
                if (!failed) {
                    message.write(b, off, n);
                }
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
                recipients.add(r);
            }

            @Override
            public String close() {
                closed = true;
                return failed ? "Zqq read error (#4.3.0)" : status;
            }

            @Override
            public long qp() {
                return 12345;
            }
        };
    }
}
