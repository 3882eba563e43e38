package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jqmail.io.Bytes;

/**
 * qmail-send's side of the qmail-clean protocol (spec §4.3): one request
 * ({@code todo/N\0} or {@code foop/N\0}) written and flushed, then one reply byte read
 * synchronously, as qmail-send does. qmail-send never selects on qmail-clean's pipe, so this
 * reads it directly on the main thread.
 */
final class Clean {
    private final OutputStream toqc;
    private final InputStream fromqc;
    private final Log log;
    private final SendState st;

    Clean(OutputStream toqc, InputStream fromqc, Log log, SendState st) {
        this.toqc = toqc;
        this.fromqc = fromqc;
        this.log = log;
        this.st = st;
    }

    /**
     * Sends {@code fn} and logs qmail's warning for a reply other than {@code +}. Returns true
     * only for {@code +}; if qmail-clean is gone it logs the alert and sets exitasap.
     */
    boolean request(String fn) {
        return requests(java.util.List.of(fn))[0];
    }

    /**
     * {@link #request} for several files, pipelined: every request is written at once, then the
     * replies are read in order. qmail-clean (ours and qmail's) reads its requests one after the
     * other from a buffered pipe and answers each in turn, so this is the same conversation
     * without a round trip per file; the requests of one call fit in the pipe's buffer.
     */
    boolean[] requests(java.util.List<String> fns) {
        boolean[] ok = new boolean[fns.size()];
        if (fns.isEmpty()) {
            return ok;
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
            return ok;
        }
        for (int i = 0; i < ok.length; i++) {
            int ch;
            try {
                ch = fromqc.read();
            } catch (IOException e) {
                ch = -1;
            }
            if (ch < 0) {
                lost();
                return ok;
            }
            if (ch != '+') {
                log.line("warning: qmail-clean unable to clean up ", fns.get(i));
            } else {
                ok[i] = true;
            }
        }
        return ok;
    }

    private void lost() {
        log.line("alert: oh no! lost qmail-clean connection! dying...");
        st.exitasap = true;
    }
}
