package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.List;
import org.jqmail.io.Bytes;

/**
 * qmail-send's side of the qmail-clean protocol (doc/PROTOCOLS.md §4): requests ({@code todo/N\0}
 * or {@code foop/N\0}) written and flushed, one reply byte per request, in order. qmail-clean
 * (ours and qmail's) reads its requests one after the other from a buffered pipe and answers
 * each in turn, so several requests may be written at once and their replies matched in order.
 *
 * <p>Where it differs from qmail, for speed: qmail-send waits for each reply on the spot. Here,
 * when constructed with an {@link Events} queue, a reader thread posts the replies as
 * {@link Events.Kind#CLEANED} events and the main loop goes on meanwhile; what depends on a
 * reply (scheduling a preprocessed message once its {@code todo/N} is gone) runs when the reply
 * arrives, on the main thread, exactly as it would have after a synchronous wait. Without an
 * event queue (tests) every reply is read at once, as qmail does.
 */
final class Clean {
    /** What to do once qmail-clean has answered: {@code ok} for {@code +}. */
    interface Then {
        void done(boolean ok);
    }

    private record Pending(String fn, Then then) {
    }

    private final OutputStream toqc;
    private final InputStream fromqc;
    private final Log log;
    private final SendState st;
    private final boolean async;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean lost;

    /** Synchronous: each call reads its replies before it returns. */
    Clean(OutputStream toqc, InputStream fromqc, Log log, SendState st) {
        this(toqc, fromqc, log, st, null);
    }

    /** Asynchronous when {@code ev} is not null: replies arrive through the event queue. */
    Clean(OutputStream toqc, InputStream fromqc, Log log, SendState st, Events ev) {
        this.toqc = toqc;
        this.fromqc = fromqc;
        this.log = log;
        this.st = st;
        this.async = ev != null;
        if (async) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[512];
                for (;;) {
                    int r;
                    try {
                        r = fromqc.read(buf);
                    } catch (IOException e) {
                        r = -1;
                    }
                    if (r <= 0) {
                        ev.post(Events.Kind.CLEAN_EOF, 0);
                        return;
                    }
                    ev.post(Events.Kind.CLEANED, 0, java.util.Arrays.copyOf(buf, r));
                }
            }, "clean-reader");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Requests awaiting their reply. */
    int pending() {
        return pending.size();
    }

    /** One request; see {@link #requests}. */
    void request(String fn, Then then) {
        requests(List.of(fn), then == null ? null : List.of(then));
    }

    /**
     * Sends the requests for {@code fns} in one write. For each, a reply other than {@code +}
     * is logged with qmail's warning; then its {@code then} (if any) runs. If qmail-clean is
     * gone this logs the alert and sets exitasap, and nothing runs.
     */
    void requests(List<String> fns, List<Then> thens) {
        if (fns.isEmpty() || lost) {
            if (lost) {
                st.exitasap = true;
            }
            return;
        }
        StringBuilder all = new StringBuilder();
        for (String fn : fns) {
            all.append(fn).append('\0');
        }
        try {
            toqc.write(Bytes.ascii(all.toString()));
            toqc.flush();
        } catch (IOException e) {
            lost();
            return;
        }
        for (int i = 0; i < fns.size(); i++) {
            pending.addLast(new Pending(fns.get(i), thens == null ? null : thens.get(i)));
        }
        if (async) {
            return;
        }
        while (!pending.isEmpty() && !lost) {
            int ch;
            try {
                ch = fromqc.read();
            } catch (IOException e) {
                ch = -1;
            }
            if (ch < 0) {
                lost();
                return;
            }
            reply(ch);
        }
    }

    /** Reply bytes that arrived (main thread, {@link Events.Kind#CLEANED}). */
    void replies(byte[] data) {
        for (byte b : data) {
            if (pending.isEmpty()) {
                return; // qmail-clean answered more than was asked: nothing to match
            }
            reply(b & 0xff);
        }
    }

    private void reply(int ch) {
        Pending p = pending.removeFirst();
        if (ch != '+') {
            log.line("warning: qmail-clean unable to clean up ", p.fn());
        }
        if (p.then() != null) {
            p.then().done(ch == '+');
        }
    }

    /** qmail-clean's pipe reached end of file or failed. */
    void lost() {
        if (!lost) {
            log.line("alert: oh no! lost qmail-clean connection! dying...");
        }
        lost = true;
        pending.clear();
        st.exitasap = true;
    }
}
